import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { hashPassword } from "better-auth/crypto";
import type { Db, Queryable } from "@/db/client";
import { user, type Role } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { envSchema, getEnv } from "@/lib/env";
import { insertUserWithPassword } from "@/lib/users/insert";

export const demoUserSpecs: readonly { email: string; name: string; role: Role }[] = [
  { email: "admin@flightdeck.local", name: "Demo Admin", role: "admin" },
  { email: "operator@flightdeck.local", name: "Demo Operator", role: "operator" },
  { email: "reviewer@flightdeck.local", name: "Demo Reviewer", role: "reviewer" },
  { email: "lead@flightdeck.local", name: "Demo Lead", role: "lead" },
];

export type DemoSeedResult =
  | { seeded: true; users: { email: string; role: Role }[]; password: string; passwordIsDefault: boolean }
  | { seeded: false; reason: "not-embedded" | "disabled" | "not-empty" };

const seedLock = 727_002;

/**
 * One demo user per role on a fresh embedded database, so the cockpit can be tried
 * right after `npm start`. Never on Postgres (DATABASE_URL set) and never once anyone
 * exists; all four users and their audit events commit together or not at all.
 */
export async function seedDemoUsers(db: Db): Promise<DemoSeedResult> {
  const env = getEnv();
  if (env.DATABASE_URL) return { seeded: false, reason: "not-embedded" };
  if (!env.FLIGHTDECK_SEED_DEMO) return { seeded: false, reason: "disabled" };
  // Cheap pre-check so an ordinary restart never pays for hashing; re-checked under the lock.
  const [existing] = await db.select({ id: user.id }).from(user).limit(1);
  if (existing) return { seeded: false, reason: "not-empty" };
  return insertDemoUsers(db, "empty embedded database, FLIGHTDECK_SEED_DEMO");
}

/**
 * The demo users with FLIGHTDECK_DEMO_PASSWORD, on a database without users, whatever the
 * environment says: first start above, and `npm run proof -- --keep` (a kept proof database
 * has no users, Postgres or not, and would otherwise admit nobody). `reason` goes on each audit event.
 */
export async function insertDemoUsers(db: Db, reason: string): Promise<DemoSeedResult> {
  const password = getEnv().FLIGHTDECK_DEMO_PASSWORD;
  // Hashing is the slow part (scrypt); do it outside the transaction, in parallel.
  const hashes = await Promise.all(demoUserSpecs.map(() => hashPassword(password)));
  return db.transaction(async (tx): Promise<DemoSeedResult> => {
    await tx.execute(sql`select pg_advisory_xact_lock(${seedLock})`);
    const [anyone] = await tx.select({ id: user.id }).from(user).limit(1);
    if (anyone) return { seeded: false, reason: "not-empty" };
    const users: { email: string; role: Role }[] = [];
    for (const [i, spec] of demoUserSpecs.entries()) {
      const created = await insertUserWithPassword(tx, { ...spec, password, isDemo: true }, hashes[i]);
      await appendAudit(tx, {
        actor: { kind: "system", id: "seed", label: "system:demo-seed" },
        action: "user.created",
        subject: { type: "user", id: created.id },
        authorization: { via: "system", reason },
        payload: { email: created.email, name: created.name, role: created.role, demo: true },
      });
      users.push({ email: created.email, role: created.role });
    }
    return { seeded: true, users, password, passwordIsDefault: isDefaultDemoPassword() };
  });
}

export function isDefaultDemoPassword(): boolean {
  return getEnv().FLIGHTDECK_DEMO_PASSWORD === envSchema.shape.FLIGHTDECK_DEMO_PASSWORD.parse(undefined);
}

/** The demo users left; the UI shows its banner until they are deleted. */
export async function listDemoUsers(db: Queryable): Promise<{ email: string; role: Role; disabled: boolean }[]> {
  return db
    .select({ email: user.email, role: user.role, disabled: user.disabled })
    .from(user)
    .where(eq(user.isDemo, true))
    .orderBy(asc(user.email));
}
