import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { getEnv } from "@/lib/env";

/** Rows one statement deletes, so a large backlog never holds one long transaction. */
const BATCH = 10_000;

/**
 * Deletes outbox messages that are finished — delivered, or given up — for longer than
 * FLIGHTDECK_WEBHOOK_RETENTION_DAYS; a message still due is kept however old. Run by the daily
 * retention pass (lib/compliance/retention.ts); returns how many rows went.
 */
export async function pruneWebhookOutbox(
  db: Queryable,
  now = new Date(),
  options: { batch?: number } = {},
): Promise<number> {
  const days = getEnv().FLIGHTDECK_WEBHOOK_RETENTION_DAYS;
  const batch = options.batch ?? BATCH;
  const cutoff = sql`${now.toISOString()}::timestamptz - make_interval(days => ${days})`;
  // A redelivery clears delivered_at/failed_at: the age test is repeated on the row being deleted.
  const old = sql`coalesce(delivered_at, failed_at) < ${cutoff}`;
  let total = 0;
  // In seq order from where the last batch stopped, so no batch reads again what one before it passed.
  let after = 0;
  for (;;) {
    const [row] = rowsOf<{ n: number | string; last: number | string | null }>(
      await db.execute(sql`
        with picked as (
          select seq from webhook_outbox where seq > ${after} and ${old} order by seq limit ${batch}
        ),
        gone as (
          delete from webhook_outbox where seq in (select seq from picked) and ${old} returning seq
        )
        select (select count(*) from gone) as n, (select max(seq) from picked) as last`),
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (row?.last === null || row?.last === undefined) return total;
    after = Number(row.last);
  }
}
