import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";

/** Wait minutes older than this are deleted by the retention pass: a quarter of history for the charts. */
export const RESOURCE_WAIT_RETENTION_DAYS = 90;

/**
 * Adds the waits of runs about to leave Waiting for a rate-limited resource to this minute's
 * rollup (resource_wait_minutes), one upsert per resource. Call it inside the transaction that
 * requeues them, before their state changes: a wait is `now() - state_since` of the waiting run.
 */
export async function recordEndedWaits(db: Queryable, runIds: readonly string[]): Promise<void> {
  if (runIds.length === 0) return;
  await db.execute(sql`
    insert into resource_wait_minutes as m (resource, minute, waits, wait_ms, max_wait_ms)
    select waiting_for, date_trunc('minute', now()), count(*), sum(ms), max(ms)
    from (
      select waiting_for, greatest(0, round(extract(epoch from (now() - state_since)) * 1000))::bigint as ms
      from runs
      where id = any(${`{${runIds.join(",")}}`}::text[])
        and state = 'waiting' and state_reason = 'resource' and waiting_for is not null
    ) w
    group by waiting_for
    on conflict (resource, minute) do update set
      waits = m.waits + excluded.waits,
      wait_ms = m.wait_ms + excluded.wait_ms,
      max_wait_ms = greatest(m.max_wait_ms, excluded.max_wait_ms)`);
}

/** Deletes wait minutes past RESOURCE_WAIT_RETENTION_DAYS; returns how many rows went. */
export async function pruneWaitMinutes(db: Queryable, now = new Date()): Promise<number> {
  const rows = rowsOf<{ one: number }>(
    await db.execute(sql`
      delete from resource_wait_minutes
      where minute < ${now.toISOString()}::timestamptz - make_interval(days => ${RESOURCE_WAIT_RETENTION_DAYS})
      returning 1 as one`),
  );
  return rows.length;
}
