import { sql } from "drizzle-orm";

/**
 * The sealer's floor: every audit event with an id up to it is sealed, refused, or was never
 * committed, so a batch looks for unsealed events above it only. Finding them means an anti-join
 * of audit_events with audit_seqs, whose cost is the number of ids it passes: the floor keeps
 * that to the events since about the previous batch instead of the whole log.
 *
 * Why the floor can move. A batch's first statement assigns the sealer's transaction its xid (X)
 * and reads the highest event id (maxId) from a snapshot taken before X existed; the batch then
 * scans ids up to `to` (maxId, or the last row it took when full). Every id up to `to` was taken
 * before that snapshot, and a writer has its xid before it takes an event id (every writer goes
 * through flightdeck_append_audit, which asks for it first; a transaction that already wrote has
 * one), so every transaction that took one has an xid below X: an id up to `to` that the scan did not see belongs to such a transaction, still running
 * or rolled back. (The snapshot's xmax is no bound: a transaction can hold an xid at or above it
 * and still be running.) Once a later batch's snapshot has an xmin above X, every transaction
 * below X has ended; if that batch scanned from the floor up past `to`, it saw every committed
 * event up to `to`, so `to` becomes the floor.
 */
/** The floor as the latest checkpoint states it (0 before the first): what readers count unsealed events from. */
export const STATED_FLOOR = sql`coalesce((select floor_id from audit_checkpoints order by tree_size desc limit 1), 0)`;

/**
 * An event (`audit_events e`) still waiting for the sealer: above the stated floor, without a seq and not
 * refused. What health, the metrics and a wait for sealing count.
 */
export const UNSEALED_EVENT = sql`e.id > ${STATED_FLOOR}
  and not exists (select 1 from audit_seqs s where s.event_id = e.id)
  and not exists (select 1 from audit_rejections r where r.event_id = e.id)`;

export interface SealCoverage {
  /** Every id up to this was either visible to the batch or taken by a transaction with an xid below `xid`. */
  to: number;
  /** The batch's own xid (pg_current_xact_id of its first statement). */
  xid: bigint;
}

/**
 * The floor after a batch that scanned from the floor (`fromFloor`) up to `scannedTo` with a
 * snapshot whose xmin is `xmin`: the highest earlier coverage it settles, or the floor unchanged.
 */
export function settleFloor(
  floor: number,
  pending: readonly SealCoverage[],
  batch: { fromFloor: boolean; scannedTo: number; xmin: bigint },
): number {
  if (!batch.fromFloor) return floor;
  let settled = floor;
  for (const p of pending) {
    if (p.xid < batch.xmin && p.to <= batch.scannedTo && p.to > settled) settled = p.to;
  }
  return settled;
}
