import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { safeNext } from "@/components/auth/safe-next";
import { clientIp } from "@/lib/auth/client-ip";
import { proxy } from "@/proxy";

const req = (path: string, headers: Record<string, string> = {}) => new NextRequest(`http://127.0.0.1:3000${path}`, { headers });

describe("proxy.ts", () => {
  it("sends a browser without a session cookie to /login with where it was going", () => {
    const res = proxy(req("/settings/users?tab=x"));
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("next")).toBe("/settings/users?tab=x");
  });

  it("lets requests with a session cookie or a bearer token through to the page's own check", () => {
    expect(proxy(req("/runs", { cookie: "better-auth.session_token=abc.def" })).headers.get("location")).toBeNull();
    expect(proxy(req("/runs", { authorization: "Bearer fd_x" })).headers.get("location")).toBeNull();
  });
});

describe("safeNext", () => {
  it("keeps same-site paths and refuses anything that could leave the site", () => {
    expect(safeNext("/runs/abc?x=1")).toBe("/runs/abc?x=1");
    expect(safeNext(["/audit", "/x"])).toBe("/audit");
    for (const bad of [undefined, "", "runs", "//evil.example", "/\\evil.example", "https://evil.example", "/login", "/login?next=/x", "/a\nb"]) {
      expect(safeNext(bad)).toBe("/runs");
    }
  });
});

describe("clientIp", () => {
  it("takes the hop nearest the server, which a client cannot forge behind a proxy", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 10.0.0.7" }))).toBe("10.0.0.7");
    expect(clientIp(new Headers({ "x-forwarded-for": "10.0.0.7" }))).toBe("10.0.0.7");
    expect(clientIp(new Headers({ "x-real-ip": "10.0.0.8" }))).toBe("10.0.0.8");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});
