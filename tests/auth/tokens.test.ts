import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditEvents } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { resolvePrincipal } from "@/lib/auth/resolve-principal";
import { resetEnvCache } from "@/lib/env";
import { createApiToken, revokeApiToken } from "@/lib/tokens";
import { cookieHeader } from "./http";
import { addUser, auditOf, setupAuth, signInRequest, type AuthFixture } from "./fixtures";

let f: AuthFixture;
const adminToken = "bootstrap-admin-token-0123456789abcdef";
const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

beforeAll(async () => {
  f = await setupAuth({
    FLIGHTDECK_ADMIN_TOKEN: adminToken,
    FLIGHTDECK_LOGIN_MAX_ATTEMPTS: "4",
    FLIGHTDECK_TRUSTED_PROXIES: "127.0.0.1",
  });
});
afterAll(async () => f.close());

describe("API tokens", () => {
  it("bootstrap admin token creates a token over HTTP; the secret is shown once and never stored or audited", async () => {
    const res = await fetch(`${f.server.url}/api/tokens`, {
      method: "POST",
      headers: { ...bearer(adminToken), "content-type": "application/json" },
      body: JSON.stringify({ name: "ci", role: "operator" }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      token: string;
      prefix: string;
      role: string;
      createdBy: string;
    };
    expect(created.token).toMatch(/^fd_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));
    expect(created).toMatchObject({ role: "operator", createdBy: "bootstrap admin token" });

    const [row] = await f.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token);
    const events = await f.db.select().from(auditEvents);
    expect(JSON.stringify(events)).not.toContain(created.token);
    const [event] = await auditOf(f.db, "token.created");
    expect(event).toMatchObject({ actorKind: "token", actorId: "bootstrap", subjectId: created.id });
    expect(event?.authorization).toMatchObject({ via: "bootstrap-token", role: "admin" });

    const list = await fetch(`${f.server.url}/api/tokens`, { headers: bearer(adminToken) });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { tokens: Record<string, unknown>[] };
    expect(body.tokens).toHaveLength(1);
    expect(body.tokens[0]).not.toHaveProperty("token");
    expect(body.tokens[0]).not.toHaveProperty("tokenHash");
  });

  it("resolves a token to its role, records last use at most once a minute, and obeys the policy", async () => {
    const created = await createApiToken(f.db, systemPrincipal("test"), { name: "reader", role: "reviewer" });
    const principal = await resolvePrincipal(new Headers(bearer(created.token)));
    expect(principal).toMatchObject({ kind: "token", id: created.id, role: "reviewer" });

    const lastUsed = async () =>
      (await f.db.select({ at: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, created.id)))[0]?.at;
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await resolvePrincipal(new Headers(bearer(created.token)));
    expect(await lastUsed()).toEqual(first);
    await f.db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now() - interval '2 minutes'` })
      .where(eq(apiTokens.id, created.id));
    const stale = await lastUsed();
    await resolvePrincipal(new Headers(bearer(created.token)));
    expect((await lastUsed())?.getTime()).toBeGreaterThan(stale?.getTime() ?? Infinity);

    // A reviewer token may not manage tokens.
    const forbidden = await fetch(`${f.server.url}/api/tokens`, { headers: bearer(created.token) });
    expect(forbidden.status).toBe(403);
  });

  it("rejects a revoked token with 401 and audits the revocation", async () => {
    const created = await createApiToken(f.db, systemPrincipal("test"), { name: "short-lived", role: "admin" });
    const ok = await fetch(`${f.server.url}/api/tokens`, { headers: bearer(created.token) });
    expect(ok.status).toBe(200);

    const revoke = await fetch(`${f.server.url}/api/tokens/${created.id}/revoke`, {
      method: "POST",
      headers: bearer(adminToken),
    });
    expect(revoke.status).toBe(200);
    const again = await fetch(`${f.server.url}/api/tokens/${created.id}/revoke`, {
      method: "POST",
      headers: bearer(adminToken),
    });
    expect(again.status).toBe(409);
    const missing = await fetch(`${f.server.url}/api/tokens/nope/revoke`, {
      method: "POST",
      headers: bearer(adminToken),
    });
    expect(missing.status).toBe(404);

    const refused = await fetch(`${f.server.url}/api/tokens`, { headers: bearer(created.token) });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("Invalid token");
    const [event] = await auditOf(f.db, "token.revoked");
    expect(event).toMatchObject({ subjectId: created.id, actorId: "bootstrap" });
    await expect(revokeApiToken(f.db, systemPrincipal("test"), created.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("answers bad bodies with 400 and the zod issues", async () => {
    const res = await fetch(`${f.server.url}/api/tokens`, {
      method: "POST",
      headers: { ...bearer(adminToken), "content-type": "application/json" },
      body: JSON.stringify({ name: "", role: "superuser" }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: { path: string[] }[] } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.issues.map((i) => i.path[0]).sort()).toEqual(["name", "role"]);
  });

  it("never falls back to the session cookie when a bearer is wrong", async () => {
    await addUser(f.db, "root@example.com", "admin");
    const cookie = cookieHeader(await signInRequest(f.server, "root@example.com", "correct horse battery"));
    expect((await fetch(`${f.server.url}/api/tokens`, { headers: { cookie } })).status).toBe(200);
    const res = await fetch(`${f.server.url}/api/tokens`, {
      headers: { cookie, ...bearer("fd_wrong", { "x-forwarded-for": "10.1.1.1" }) },
    });
    expect(res.status).toBe(401);
  });

  it("rate limits bad tokens per IP: 429 with Retry-After and one audit event", async () => {
    const ip = { "x-forwarded-for": "10.9.9.9" };
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${f.server.url}/api/tokens`, { headers: bearer(`fd_guess_${i}`, ip) });
      expect(res.status).toBe(401);
    }
    const locked = await fetch(`${f.server.url}/api/tokens`, { headers: bearer("fd_guess_after_lock", ip) });
    expect(locked.status).toBe(429);
    // A valid token is never refused because of failures from its address (issue 12).
    expect((await fetch(`${f.server.url}/api/tokens`, { headers: bearer(adminToken, ip) })).status).toBe(200);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const lockouts = (await auditOf(f.db, "auth.rate_limited")).filter((e) => e.payload.ip === "10.9.9.9");
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]?.subjectType).toBe("bearer-token");
    // Other callers keep working.
    expect(
      (await fetch(`${f.server.url}/api/tokens`, { headers: bearer(adminToken, { "x-forwarded-for": "10.9.9.8" }) }))
        .status,
    ).toBe(200);
  });

  it("the bootstrap token works only while FLIGHTDECK_ADMIN_TOKEN is set", async () => {
    const wrong = await fetch(`${f.server.url}/api/tokens`, {
      headers: bearer(adminToken + "x", { "x-forwarded-for": "10.2.2.2" }),
    });
    expect(wrong.status).toBe(401);
    delete process.env.FLIGHTDECK_ADMIN_TOKEN;
    resetEnvCache();
    const unset = await fetch(`${f.server.url}/api/tokens`, {
      headers: bearer(adminToken, { "x-forwarded-for": "10.2.2.3" }),
    });
    expect(unset.status).toBe(401);
    const anonymous = await fetch(`${f.server.url}/api/tokens`);
    expect(anonymous.status).toBe(401);
  });
});
