import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePrincipal } from "@/lib/auth/resolve-principal";
import { setUserDisabled } from "@/lib/users";
import { cookieHeader } from "./http";
import { addUser, auditOf, setupAuth, signInRequest, type AuthFixture } from "./fixtures";

let f: AuthFixture;
const password = "correct horse battery";

beforeAll(async () => {
  f = await setupAuth({ FLIGHTDECK_LOGIN_MAX_ATTEMPTS: "50" });
  await addUser(f.db, "ada@example.com", "operator", password);
  await addUser(f.db, "root@example.com", "admin", password);
});
afterAll(async () => f.close());

describe("password sign-in over HTTP", () => {
  it("signs in with the right password, sets a session cookie and audits it", async () => {
    const res = await signInRequest(f.server, "Ada@Example.com", password);
    expect(res.status).toBe(200);
    const cookie = cookieHeader(res);
    expect(cookie).toMatch(/better-auth\.session_token=/);

    const principal = await resolvePrincipal(new Headers({ cookie }));
    expect(principal).toMatchObject({ kind: "user", label: "ada@example.com", role: "operator" });

    const [event] = await auditOf(f.db, "auth.sign_in");
    expect(event).toMatchObject({ actorKind: "user", actorLabel: "ada@example.com", subjectType: "user" });
    expect(event?.actorId).toBe(principal.kind === "user" ? principal.id : "");
    expect(event?.payload).toMatchObject({ ip: "127.0.0.1", userAgent: "vitest-browser" });
  });

  it("answers a wrong password and an unknown email with the same 401", async () => {
    const wrong = await signInRequest(f.server, "ada@example.com", "not the password");
    const unknown = await signInRequest(f.server, "nobody@example.com", password);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as { message: string; code: string };
    const b = (await unknown.json()) as { message: string; code: string };
    expect(a).toEqual(b);
    expect(a.message).toBe("Invalid email or password");
    expect(
      wrong.headers.getSetCookie().filter((c) => c.includes("session_token=") && !c.includes("session_token=;")),
    ).toEqual([]);

    const failed = await auditOf(f.db, "auth.sign_in_failed");
    expect(failed.map((e) => e.payload.email)).toEqual(["ada@example.com", "nobody@example.com"]);
    for (const e of failed) {
      expect(e.actorKind).toBe("anonymous");
      expect(e.payload.ip).toBe("127.0.0.1");
      expect(JSON.stringify(e.payload)).not.toContain("not the password");
    }
  });

  it("refuses a disabled user with the same 401 and ends their sessions", async () => {
    const before = await signInRequest(f.server, "ada@example.com", password);
    const cookie = cookieHeader(before);
    const admin = await resolvePrincipal(
      new Headers({ cookie: cookieHeader(await signInRequest(f.server, "root@example.com", password)) }),
    );
    const ada = await resolvePrincipal(new Headers({ cookie }));
    if (ada.kind !== "user") throw new Error("expected a user principal");

    await setUserDisabled(f.db, admin, ada.id, true);
    expect(await resolvePrincipal(new Headers({ cookie }))).toEqual({ kind: "anonymous" });
    const refused = await signInRequest(f.server, "ada@example.com", password);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toBe("Invalid email or password");

    await setUserDisabled(f.db, admin, ada.id, false);
    expect((await signInRequest(f.server, "ada@example.com", password)).status).toBe(200);
  });

  it("signs out: the cookie stops working and the sign-out is audited", async () => {
    const cookie = cookieHeader(await signInRequest(f.server, "root@example.com", password));
    const out = await fetch(`${f.server.url}/api/auth/sign-out`, {
      method: "POST",
      headers: { cookie, origin: f.server.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(out.status).toBe(200);
    expect(await resolvePrincipal(new Headers({ cookie }))).toEqual({ kind: "anonymous" });
    const [event] = await auditOf(f.db, "auth.sign_out");
    expect(event).toMatchObject({ actorKind: "user", actorLabel: "root@example.com", subjectType: "session" });
  });

  it("lets a user change their own password (current one required), audited without the values", async () => {
    const cookie = cookieHeader(await signInRequest(f.server, "root@example.com", password));
    const change = (currentPassword: string) =>
      fetch(`${f.server.url}/api/auth/change-password`, {
        method: "POST",
        headers: { cookie, origin: f.server.url, "content-type": "application/json" },
        body: JSON.stringify({ currentPassword, newPassword: "a brand new passphrase" }),
      });
    expect((await change("not it")).status).toBeGreaterThanOrEqual(400);
    expect((await change(password)).status).toBe(200);
    expect((await signInRequest(f.server, "root@example.com", "a brand new passphrase")).status).toBe(200);
    const [event] = await auditOf(f.db, "auth.password_changed");
    expect(event).toMatchObject({ actorKind: "user", actorLabel: "root@example.com" });
    expect(JSON.stringify(event)).not.toContain("a brand new passphrase");
  });

  it("has no public sign-up", async () => {
    const res = await fetch(`${f.server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: f.server.url },
      body: JSON.stringify({ email: "new@example.com", password: "long enough password", name: "New" }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await auditOf(f.db, "user.created")).length).toBe(0);
    const again = await signInRequest(f.server, "new@example.com", "long enough password");
    expect(again.status).toBe(401);
  });
});
