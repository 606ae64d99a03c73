import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { notifyRun } from "@/lib/runtime/channels";

/**
 * Provider backoff releases the endpoint slot: while a turn sleeps out a 429/5xx backoff
 * its lease stays (the run is still its worker's) but it stops counting against the
 * endpoint's max concurrency (runs.slot_released), and the claimers are woken. Before the
 * retry the turn takes a slot again, waiting its turn like a claim would.
 */
export async function releaseEndpointSlot(db: Db, runId: string, leaseToken: string): Promise<void> {
  if (!leaseToken) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`update runs set slot_released = true where id = ${runId} and lease_token = ${leaseToken}`);
    await notifyRun(tx, runId);
  });
}

/**
 * Takes a slot on the endpoint again (serialised with claims by the endpoint's advisory lock).
 * Returns at once when the run no longer holds this lease (or never did): the turn's own
 * fencing then stops it; there is no slot to wait for.
 */
export async function reacquireEndpointSlot(
  db: Db,
  runId: string,
  leaseToken: string,
  endpoint: string,
  signal: AbortSignal,
): Promise<void> {
  if (!leaseToken) return;
  for (let waitMs = 50; ; waitMs = Math.min(1_000, waitMs * 2)) {
    signal.throwIfAborted();
    const got = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`flightdeck.endpoint:${endpoint}`}))`);
      const [held] = rowsOf<{ released: boolean | string }>(
        await tx.execute(
          sql`select slot_released as released from runs where id = ${runId} and lease_token = ${leaseToken}`,
        ),
      );
      if (!held || held.released === false || held.released === "f") return true;
      const [row] = rowsOf<{ ok: boolean | string }>(
        await tx.execute(sql`
          update runs set slot_released = false
          where id = ${runId} and lease_token = ${leaseToken}
            and coalesce((select max_concurrency from model_endpoints where name = ${endpoint}), 2147483647) > (
              select count(*) from runs r
              where r.model_endpoint = ${endpoint} and r.lease_token is not null and r.lease_expires_at > now()
                and not r.slot_released and r.id <> ${runId})
          returning true as ok`),
      );
      return row !== undefined;
    });
    if (got) return;
    await new Promise((r) => setTimeout(r, waitMs));
  }
}
