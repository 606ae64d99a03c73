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
export async function pruneWebhookOutbox(db: Queryable, now = new Date()): Promise<number> {
  const days = getEnv().FLIGHTDECK_WEBHOOK_RETENTION_DAYS;
  const cutoff = sql`${now.toISOString()}::timestamptz - make_interval(days => ${days})`;
  let total = 0;
  for (;;) {
    const rows = rowsOf<{ one: number }>(
      await db.execute(sql`
        delete from webhook_outbox
        where seq in (
          select seq from webhook_outbox
          where coalesce(delivered_at, failed_at) < ${cutoff}
          limit ${BATCH})
        returning 1 as one`),
    );
    total += rows.length;
    if (rows.length < BATCH) return total;
  }
}
