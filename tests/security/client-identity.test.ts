import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemPrincipal } from "@/lib/audit";
import { resetEnvCache } from "@/lib/env";
import { createApiToken } from "@/lib/tokens";
import { addUser, auditOf, setupAuth, signInRequest, type AuthFixture } from "@/tests/auth/fixtures";

let f: AuthFixture;
const password = "correct horse battery";
const max = 3;

beforeAll(async () => {
  f = await setupAuth({ FLIGHTDECK_LOGIN_MAX_ATTEMPTS: String(max), FLIGHTDECK_LOGIN_WINDOW_SECONDS: "300" });
  delete process.env.FLIGHTDECK_TRUSTED_PROXIES; // the default: no proxy is trusted
  resetEnvCache();
  for (const name of ["ada", "bob", "cy"]) await addUser(f.db, `${name}@example.com`, "operator", password);
});
afterAll(async () => {
  delete process.env.FLIGHTDECK_TRUSTED_PROXIES;
  resetEnvCache();
  await f.close();
});

function trustLoopbackProxy(on: boolean) {
  if (on) process.env.FLIGHTDECK_TRUSTED_PROXIES = "127.0.0.1";
  else delete process.env.FLIGHTDECK_TRUSTED_PROXIES;
  resetEnvCache();
}

const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

describe("client identity cannot be chosen by the client (FLIGHTDECK_TRUSTED_PROXIES unset)", () => {
  it("rotating X-Forwarded-For buys no extra password guesses", async () => {
    for (let i = 0; i < max; i++) {
      const answer = await signInRequest(f.server, "ada@example.com", `wrong-${i}`, {
        "x-forwarded-for": `198.51.100.${i + 1}`,
      });
      expect(answer.status).toBe(401);
    }
    const next = await signInRequest(f.server, "ada@example.com", password, { "x-forwarded-for": "198.51.100.200" });
    expect(next.status).toBe(429);
    // Recorded under the socket address, not the claimed ones.
    const lockouts = await auditOf(f.db, "auth.rate_limited");
    expect(lockouts.some((e) => e.payload.ip === "127.0.0.1")).toBe(true);
    expect(lockouts.some((e) => String(e.payload.ip).startsWith("198.51.100."))).toBe(false);
  });

  it("repeated anonymous failures are aggregated: one sign_in_failed per address and email per window", async () => {
    const failed = (await auditOf(f.db, "auth.sign_in_failed")).filter((e) => e.payload.email === "ada@example.com");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.payload).toMatchObject({ ip: "127.0.0.1", attempt: 1 });
  });

  it("a valid token is never refused because its address was locked by someone else's failures", async () => {
    const valid = (await createApiToken(f.db, systemPrincipal("tests"), { name: "ci", role: "admin" })).token;
    for (let i = 0; i < max; i++) {
      // An attacker claiming to be anywhere: the failures land on the real socket address.
      const answer = await fetch(`${f.server.url}/api/tokens`, {
        headers: bearer(`fd_guess_${i}`, { "x-forwarded-for": "10.7.7.7" }),
      });
      expect(answer.status).toBe(401);
    }
    const guessing = await fetch(`${f.server.url}/api/tokens`, { headers: bearer("fd_guess_more") });
    expect(guessing.status).toBe(429);
    expect((await fetch(`${f.server.url}/api/tokens`, { headers: bearer(valid) })).status).toBe(200);
    // One aggregated failure event for the address, one lockout.
    expect((await auditOf(f.db, "auth.token_failed")).filter((e) => e.payload.ip === "127.0.0.1")).toHaveLength(1);
  });
});

describe("behind a trusted proxy (FLIGHTDECK_TRUSTED_PROXIES=127.0.0.1)", () => {
  it("limits failures per account as well as per address", async () => {
    trustLoopbackProxy(true);
    try {
      const accountMax = max * 4;
      for (let i = 0; i < accountMax; i++) {
        // A new address each time: never reaches any per-address limit.
        const answer = await signInRequest(f.server, "bob@example.com", `wrong-${i}`, {
          "x-forwarded-for": `203.0.113.${i + 1}`,
        });
        expect(answer.status).toBe(401);
      }
      const fresh = await signInRequest(f.server, "bob@example.com", password, { "x-forwarded-for": "203.0.113.250" });
      expect(fresh.status).toBe(429);
      const lockouts = (await auditOf(f.db, "auth.rate_limited")).filter((e) => e.payload.scope === "account");
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]?.payload).toMatchObject({ email: "bob@example.com", failures: accountMax });
      // Another person is unaffected.
      expect(
        (await signInRequest(f.server, "cy@example.com", password, { "x-forwarded-for": "203.0.113.251" })).status,
      ).toBe(200);
    } finally {
      trustLoopbackProxy(false);
    }
  });
});
