/**
 * The sealer's floor: every audit event with an id up to it is sealed, refused, or was never
 * committed, so a batch looks for unsealed events above it only. Finding them means an anti-join
 * of audit_events with audit_seqs, whose cost is the number of ids it passes: the floor keeps
 * that to the events since about the previous batch instead of the whole log.
 *
 * Why the floor can move. A batch reads the highest event id (maxId) and its snapshot's xmax in
 * one statement, then scans ids up to `to` (maxId, or the last row it took when full). Every id up
 * to `to` was taken before that statement, and a writer's transaction has its xid before it takes
 * an event id (flightdeck_append_audit asks for it first; a transaction that already wrote has
 * one), so an id up to `to` that the scan did not see belongs to a transaction whose xid is below
 * that xmax: one still running, or rolled back. Once a later batch's snapshot has an xmin at or
 * above that xmax, all of those transactions have ended; if that batch scanned from the floor up
 * past `to`, it saw every committed event up to `to`, so `to` becomes the floor.
 */
export interface SealCoverage {
  /** Every id up to this was either visible to the batch or taken by a transaction below `xmax`. */
  to: number;
  /** pg_snapshot_xmax of the batch's first statement. */
  xmax: bigint;
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
    if (p.xmax <= batch.xmin && p.to <= batch.scannedTo && p.to > settled) settled = p.to;
  }
  return settled;
}
