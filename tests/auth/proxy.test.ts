import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { safeNext } from "@/components/auth/safe-next";
import { clientIp } from "@/lib/auth/client-ip";
import { resetEnvCache } from "@/lib/env";
import { proxy } from "@/proxy";

const req = (path: string, headers: Record<string, string> = {}) =>
  new NextRequest(`http://127.0.0.1:3000${path}`, { headers });

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
    for (const bad of [
      undefined,
      "",
      "runs",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "/login",
      "/login?next=/x",
      "/a\nb",
    ]) {
      expect(safeNext(bad)).toBe("/runs");
    }
  });
});

describe("clientIp", () => {
  const peer = (address: string, extra: Record<string, string> = {}) =>
    new Headers({ "x-flightdeck-peer": address, ...extra });
  const withProxies = (spec: string | undefined, check: () => void) => {
    if (spec === undefined) delete process.env.FLIGHTDECK_TRUSTED_PROXIES;
    else process.env.FLIGHTDECK_TRUSTED_PROXIES = spec;
    resetEnvCache();
    try {
      check();
    } finally {
      delete process.env.FLIGHTDECK_TRUSTED_PROXIES;
      resetEnvCache();
    }
  };

  it("is the socket peer; forwarded headers from anyone are ignored by default", () => {
    withProxies(undefined, () => {
      expect(clientIp(peer("203.0.113.5", { "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7" }))).toBe(
        "203.0.113.5",
      );
      expect(clientIp(peer("::ffff:127.0.0.1"))).toBe("127.0.0.1");
      expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6" }))).toBe("unknown");
    });
  });

  it("believes X-Forwarded-For only from FLIGHTDECK_TRUSTED_PROXIES, right to left, skipping trusted hops", () => {
    withProxies("10.0.0.0/8, 127.0.0.1", () => {
      expect(clientIp(peer("127.0.0.1", { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.3" }))).toBe(
        "198.51.100.7",
      );
      expect(clientIp(peer("127.0.0.1", { "x-forwarded-for": "garbage, 10.0.0.3" }))).toBe("127.0.0.1");
      // A peer that is not a trusted proxy cannot choose its address.
      expect(clientIp(peer("203.0.113.5", { "x-forwarded-for": "198.51.100.7" }))).toBe("203.0.113.5");
    });
  });
});
