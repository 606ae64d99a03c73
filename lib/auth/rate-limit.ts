import "server-only";
import { inArray, lt, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { rateLimits } from "@/db/schema";
import { getEnv } from "@/lib/env";

/**
 * Fixed-window failure counters in Postgres, so every instance on one database sees the
 * same counts. Only failures are counted; a key is locked once its count reaches the
 * limit and stays locked until its window ends. Times come from the database clock so
 * instances with skewed clocks agree.
 */
export interface RateLimitRule {
  max: number;
  windowSeconds: number;
}

export function loginRule(): RateLimitRule {
  const env = getEnv();
  return { max: env.FLIGHTDECK_LOGIN_MAX_ATTEMPTS, windowSeconds: env.FLIGHTDECK_LOGIN_WINDOW_SECONDS };
}

/**
 * Failures against one account from anywhere: a wider limit than per address, so a
 * guesser spreading attempts over many addresses is stopped too, while a person's own
 * typos from one place hit the per-address limit first.
 */
export const accountLimitFactor = 4;

export function accountRule(): RateLimitRule {
  const rule = loginRule();
  return { max: rule.max * accountLimitFactor, windowSeconds: rule.windowSeconds };
}

export const rateLimitKeys = {
  signInIpEmail: (ip: string, email: string) => `sign-in:ip-email:${ip}:${email.trim().toLowerCase()}`,
  signInIp: (ip: string) => `sign-in:ip:${ip}`,
  signInAccount: (email: string) => `sign-in:account:${email.trim().toLowerCase()}`,
  bearerIp: (ip: string) => `bearer:ip:${ip}`,
};

export interface LockState {
  limited: boolean;
  /** Seconds until the longest-locked key opens again (0 when not limited). */
  retryAfterSeconds: number;
}

/** Whether any of the keys is locked right now. One indexed read, no writes. */
export async function checkRateLimit(db: Queryable, keys: string[], rule: RateLimitRule): Promise<LockState> {
  if (keys.length === 0) return { limited: false, retryAfterSeconds: 0 };
  const rows = await db
    .select({
      count: rateLimits.count,
      remaining: sql<string>`extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${rule.windowSeconds}) - now()))`,
    })
    .from(rateLimits)
    .where(inArray(rateLimits.key, keys));
  let retryAfterSeconds = 0;
  for (const row of rows) {
    const remaining = Number(row.remaining);
    if (row.count >= rule.max && remaining > 0) retryAfterSeconds = Math.max(retryAfterSeconds, Math.ceil(remaining));
  }
  return { limited: retryAfterSeconds > 0, retryAfterSeconds };
}

export interface FailureResult {
  count: number;
  /** True for exactly the failure that reached the limit: the moment a lockout starts. */
  lockedNow: boolean;
  retryAfterSeconds: number;
}

/** Counts one failure atomically (a single upsert), starting a new window if the old one ended. */
export async function recordFailure(db: Queryable, key: string, rule: RateLimitRule): Promise<FailureResult> {
  const expired = sql`${rateLimits.windowStart} <= now() - make_interval(secs => ${rule.windowSeconds})`;
  const [row] = rowsOf<{ count: number; remaining: string }>(
    await db.execute(sql`
      insert into ${rateLimits} (key, window_start, count) values (${key}, now(), 1)
      on conflict (key) do update set
        window_start = case when ${expired} then now() else ${rateLimits.windowStart} end,
        count = case when ${expired} then 1 else ${rateLimits.count} + 1 end
      returning count, extract(epoch from (window_start + make_interval(secs => ${rule.windowSeconds}) - now())) as remaining
    `),
  );
  if (!row) throw new Error("rate limit upsert returned no row");
  const count = Number(row.count);
  return {
    count,
    lockedNow: count === rule.max,
    retryAfterSeconds: Math.max(1, Math.ceil(Number(row.remaining))),
  };
}

/**
 * A successful sign-in forgives that person's earlier typos (the per-IP and per-account
 * counters stay). Answers how many failures were forgiven, for the sign-in's audit event.
 */
export async function clearRateLimit(db: Queryable, key: string): Promise<number> {
  const removed = await db
    .delete(rateLimits)
    .where(inArray(rateLimits.key, [key]))
    .returning({ count: rateLimits.count });
  return removed[0]?.count ?? 0;
}

/** Drops counters whose window ended long ago so the table does not grow without bound. */
export async function pruneRateLimits(db: Queryable, olderThanSeconds: number): Promise<void> {
  await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, sql`now() - make_interval(secs => ${olderThanSeconds})`));
}
