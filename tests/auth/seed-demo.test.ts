import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, user } from "@/db/schema";
import { listDemoUsers, seedDemoUsers } from "@/lib/auth/seed-demo";
import { resetEnvCache } from "@/lib/env";
import { deleteDemoUser, listUsers } from "@/lib/users";
import { setupAuth, signInRequest, type AuthFixture } from "./fixtures";

let f: AuthFixture;
const saved = { ...process.env };

beforeAll(async () => {
  f = await setupAuth({ FLIGHTDECK_LOGIN_MAX_ATTEMPTS: "50" });
});
afterAll(async () => f.close());
afterEach(() => {
  for (const key of ["DATABASE_URL", "FLIGHTDECK_SEED_DEMO", "FLIGHTDECK_DEMO_PASSWORD"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvCache();
});

function setEnv(values: Record<string, string>) {
  Object.assign(process.env, values);
  resetEnvCache();
}

describe("demo users", () => {
  it("is skipped on Postgres (DATABASE_URL set) and when FLIGHTDECK_SEED_DEMO=false", async () => {
    setEnv({ DATABASE_URL: "postgres://example.invalid/flightdeck" });
    expect(await seedDemoUsers(f.db)).toEqual({ seeded: false, reason: "not-embedded" });
    delete process.env.DATABASE_URL;
    setEnv({ FLIGHTDECK_SEED_DEMO: "false" });
    expect(await seedDemoUsers(f.db)).toEqual({ seeded: false, reason: "disabled" });
    expect(await f.db.select().from(user)).toHaveLength(0);
  });

  it("seeds one user per role on an empty embedded database, in one go, and they can sign in", async () => {
    setEnv({ FLIGHTDECK_DEMO_PASSWORD: "demo-password-for-tests" });
    const result = await seedDemoUsers(f.db);
    expect(result.seeded).toBe(true);
    if (!result.seeded) return;
    expect(result.users.map((u) => `${u.email}:${u.role}`).sort()).toEqual([
      "admin@flightdeck.local:admin",
      "lead@flightdeck.local:lead",
      "operator@flightdeck.local:operator",
      "reviewer@flightdeck.local:reviewer",
    ]);
    expect(result.passwordIsDefault).toBe(false);
    expect((await listUsers(f.db)).every((u) => u.isDemo)).toBe(true);
    const events = await f.db.select().from(auditEvents);
    expect(events.filter((e) => e.action === "user.created")).toHaveLength(4);
    expect(JSON.stringify(events)).not.toContain("demo-password-for-tests");
    for (const u of result.users) {
      expect((await signInRequest(f.server, u.email, "demo-password-for-tests")).status).toBe(200);
    }
    expect(await listDemoUsers(f.db)).not.toHaveLength(0);
  });

  it("does nothing once anyone exists", async () => {
    expect(await seedDemoUsers(f.db)).toEqual({ seeded: false, reason: "not-empty" });
    expect(await f.db.select().from(user)).toHaveLength(4);
  });

  it("the banner condition ends when the demo users are gone", async () => {
    const users = await listUsers(f.db);
    const admin = users.find((u) => u.role === "admin");
    if (!admin) throw new Error("no admin");
    const actor = { kind: "system", id: "test", label: "system:test" } as const;
    // The demo admin goes last: it is the last enabled admin until then.
    for (const u of users.filter((x) => x.id !== admin.id)) await deleteDemoUser(f.db, actor, u.id);
    expect(await listDemoUsers(f.db)).not.toHaveLength(0);
    await expect(deleteDemoUser(f.db, actor, admin.id)).rejects.toMatchObject({ code: "conflict" });
  });
});
