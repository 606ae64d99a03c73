import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";

/**
 * The database's clock (transaction start inside a transaction). Leases, budgets and
 * deadlines are judged by it so instances with skewed clocks agree.
 */
export async function dbNowMs(q: Queryable): Promise<number> {
  const [row] = rowsOf<{ now_ms: number | string }>(
    await q.execute(sql`select (extract(epoch from now()) * 1000)::float8 as now_ms`),
  );
  if (!row) throw new Error("now() returned no row");
  return Number(row.now_ms);
}

/** `now() + ms` as SQL (transaction time, like created_at): deadlines. */
export function nowPlusMs(ms: number) {
  return sql`now() + (${Math.round(ms)}::int * interval '1 millisecond')`;
}

/**
 * `clock_timestamp() + ms` as SQL, for lease expiries: statement time, not transaction
 * start, so a claim that waited for a lock does not hand out a lease that is already old.
 */
export function leaseExpiryIn(ms: number) {
  return sql`clock_timestamp() + (${Math.round(ms)}::int * interval '1 millisecond')`;
}

export function wallClockExceeded(run: { startedAt: Date | null; budgetWallClockMs: number }, nowMs: number): boolean {
  return run.startedAt !== null && nowMs > run.startedAt.getTime() + run.budgetWallClockMs;
}
