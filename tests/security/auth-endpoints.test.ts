import { like } from "drizzle-orm";
import { rateLimits } from "@/db/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, auditOf, setupAuth, signInRequest, type AuthFixture } from "@/tests/auth/fixtures";
import { cookieHeader } from "@/tests/auth/http";

let f: AuthFixture;
const password = "correct horse battery";
const max = 3;

beforeAll(async () => {
  f = await setupAuth({ FLIGHTDECK_LOGIN_MAX_ATTEMPTS: String(max) });
  await addUser(f.db, "ada@example.com", "operator", password);
  await addUser(f.db, "bob@example.com", "operator", password);
});
afterAll(async () => f.close());

function authPost(path: string, body: unknown, cookie?: string) {
  return fetch(`${f.server.url}/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: f.server.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

async function session(email: string, pw = password): Promise<string> {
  const answer = await signInRequest(f.server, email, pw);
  expect(answer.status).toBe(200);
  return cookieHeader(answer);
}

async function whoAmI(cookie: string): Promise<string | null> {
  const answer = await fetch(`${f.server.url}/api/auth/get-session`, { headers: { cookie } });
  const json = (await answer.json()) as { user?: { email: string } } | null;
  return json?.user?.email ?? null;
}

describe("Better Auth endpoints: only what Flightdeck uses", () => {
  it("verify-password and the other unused endpoints answer 404", async () => {
    const cookie = await session("ada@example.com");
    for (const path of [
      "/verify-password",
      "/list-sessions",
      "/revoke-other-sessions",
      "/update-session",
      "/reset-password",
      "/ok",
      "/set-password",
    ]) {
      const answer = await authPost(path, { password }, cookie);
      expect(answer.status, path).toBe(404);
    }
  });

  it("change-password is rate-limited and audited", async () => {
    const cookie = await session("bob@example.com");
    for (let i = 0; i < max; i++) {
      const answer = await authPost(
        "/change-password",
        { currentPassword: `wrong-${i}-password`, newPassword: "a brand new password" },
        cookie,
      );
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(429);
    }
    const locked = await authPost(
      "/change-password",
      { currentPassword: password, newPassword: "a brand new password" },
      cookie,
    );
    expect(locked.status).toBe(429);
    expect((await auditOf(f.db, "auth.password_change_failed")).length).toBe(1);
    expect((await auditOf(f.db, "auth.rate_limited")).some((e) => e.payload.scope === "change-password")).toBe(true);
  });

  it("a password change ends the user's other sessions", async () => {
    await f.db.delete(rateLimits).where(like(rateLimits.key, "change-password:%")); // the previous case locked this address
    const laptop = await session("ada@example.com");
    const phone = await session("ada@example.com");
    expect(await whoAmI(phone)).toBe("ada@example.com");
    const changed = await authPost(
      "/change-password",
      { currentPassword: password, newPassword: "another long password" },
      laptop,
    );
    expect(changed.status).toBe(200);
    expect(await whoAmI(phone)).toBeNull();
    // The browser that changed it carries on with the session it was just given.
    expect(await whoAmI(cookieHeader(changed))).toBe("ada@example.com");
    const audited = await auditOf(f.db, "auth.password_changed");
    expect(audited.at(-1)?.payload).toMatchObject({ otherSessionsEnded: true });
  });
});
