import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { UNSEALED_EVENT } from "./seal-floor";

export interface AuditHealth {
  /** Committed events waiting for the sealer (refused ones excluded). */
  unsealed: number;
  /** Age of the oldest of them in ms; 0 when none wait. */
  lagMs: number;
  /** Events the sealer refused because their MAC does not verify. */
  rejected: number;
  /** Size of the latest signed checkpoint. */
  treeSize: number;
  /** Sealed events the explorer's free-text index has not reached yet (matched by scan meanwhile). */
  unindexed: number;
}

/**
 * Index-served: the unsealed are looked for above the floor the latest checkpoint states (every
 * event up to it is sealed or refused, lib/audit/seal-floor.ts), each probed in audit_seqs' event
 * index; then the checkpoint, rejection and seq keys.
 */
export async function auditHealth(db: Queryable): Promise<AuditHealth> {
  const [row] = rowsOf<{
    unsealed: number | string;
    oldest_ms: number | string | null;
    rejected: number | string;
    tree_size: number | string | null;
    unindexed: number | string | null;
  }>(
    await db.execute(sql`
      select count(*) as unsealed,
             (extract(epoch from clock_timestamp() - min(e.ts)) * 1000)::bigint as oldest_ms,
             (select count(*) from audit_rejections) as rejected,
             (select max(tree_size) from audit_checkpoints) as tree_size,
             (select max(seq) from audit_seqs) - (select coalesce(max(seq), 0) from audit_search) as unindexed
      from audit_events e
      where ${UNSEALED_EVENT}`),
  );
  return {
    unsealed: Number(row?.unsealed ?? 0),
    lagMs: row?.oldest_ms === null || row?.oldest_ms === undefined ? 0 : Math.max(0, Number(row.oldest_ms)),
    rejected: Number(row?.rejected ?? 0),
    treeSize: Number(row?.tree_size ?? 0),
    unindexed: Math.max(0, Number(row?.unindexed ?? 0)),
  };
}
