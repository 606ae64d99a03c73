import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, auditOf, setupAuth, signInRequest, type AuthFixture } from "./fixtures";

let f: AuthFixture;
const password = "correct horse battery";
const max = 3;

beforeAll(async () => {
  // The test server stands in for a trusted reverse proxy on loopback, so X-Forwarded-For picks the client.
  f = await setupAuth({
    FLIGHTDECK_LOGIN_MAX_ATTEMPTS: String(max),
    FLIGHTDECK_LOGIN_WINDOW_SECONDS: "120",
    FLIGHTDECK_TRUSTED_PROXIES: "127.0.0.1",
  });
  await addUser(f.db, "ada@example.com", "operator", password);
  await addUser(f.db, "bob@example.com", "operator", password);
});
afterAll(async () => f.close());

const from = (ip: string) => ({ "x-forwarded-for": ip });

describe("sign-in rate limit (database-backed, fixed window)", () => {
  it("answers 429 with Retry-After after N failures for one IP and email, even for the right password", async () => {
    for (let i = 0; i < max; i++) {
      expect((await signInRequest(f.server, "ada@example.com", `wrong-${i}`, from("10.0.0.1"))).status).toBe(401);
    }
    const locked = await signInRequest(f.server, "ada@example.com", password, from("10.0.0.1"));
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);

    // The lockout is one audit event, written when the limit was reached.
    const lockouts = await auditOf(f.db, "auth.rate_limited");
    expect(lockouts).toHaveLength(2); // the ip+email key and the ip key both reached 3
    expect(lockouts.map((e) => e.payload.scope).sort()).toEqual(["ip", "ip+email"]);
    expect(lockouts[0]?.payload).toMatchObject({ ip: "10.0.0.1", failures: max });

    // Someone else, elsewhere, is unaffected.
    expect((await signInRequest(f.server, "ada@example.com", password, from("10.0.0.2"))).status).toBe(200);
  });

  it("limits one IP across many emails", async () => {
    for (let i = 0; i < max; i++) {
      expect((await signInRequest(f.server, `guess${i}@example.com`, "x-password", from("10.0.0.9"))).status).toBe(401);
    }
    expect((await signInRequest(f.server, "bob@example.com", password, from("10.0.0.9"))).status).toBe(429);
    expect((await signInRequest(f.server, "bob@example.com", password, from("10.0.0.10"))).status).toBe(200);
  });

  it("forgets a person's failures after they sign in successfully", async () => {
    for (let i = 0; i < max - 1; i++) {
      expect((await signInRequest(f.server, "bob@example.com", "typo-password", from("10.0.0.20"))).status).toBe(401);
    }
    expect((await signInRequest(f.server, "bob@example.com", password, from("10.0.0.21"))).status).toBe(200);
    expect((await signInRequest(f.server, "bob@example.com", password, from("10.0.0.20"))).status).toBe(200);
    // The ip+email key was cleared; the per-IP key still holds 2, so one more typo is allowed.
    expect((await signInRequest(f.server, "bob@example.com", "typo-password", from("10.0.0.20"))).status).toBe(401);
    expect((await signInRequest(f.server, "bob@example.com", password, from("10.0.0.20"))).status).toBe(429);
  });

  it("starts a new window once the old one has passed", async () => {
    await f.db.execute(
      // Simulate time passing: move every window on 10.0.0.1 back past its length.
      (await import("drizzle-orm"))
        .sql`update rate_limits set window_start = now() - interval '10 minutes' where key like '%10.0.0.1%'`,
    );
    expect((await signInRequest(f.server, "ada@example.com", password, from("10.0.0.1"))).status).toBe(200);
  });
});
