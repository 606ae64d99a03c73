import "server-only";
import { and, asc, gt, gte, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import { underTryLock } from "./batch-loop";
import { auditKeys, type AuditKeys } from "./keys";
import { canonicalParts, leafFromParts, macMatches } from "./leaf";
import { CompactRange, frontierNodes, leafHash, nodeKey, type Hash } from "./merkle";
import { checkpointText, signNote } from "./note";
import { auditEventColumns, toAuditEvent, type AuditEventRow } from "./row";
import { settleFloor, STATED_FLOOR, type SealCoverage } from "./seal-floor";
import { readNodes, writeNodes } from "./tree-store";

/** Transaction-scoped advisory lock held by whichever instance is sealing a batch ("fdseal"). */
export const SEALER_LOCK_KEY = 0x66647365616c;

export interface SealResult {
  /** Events given a seq (or, for pre-Merkle events, integrated as leaves) in this batch. */
  sealed: number;
  /** Unsealed events refused because their MAC does not verify. */
  rejected: number;
  treeSize: number;
  /** The new signed checkpoint, when the tree grew. */
  note: string | null;
  ts: Date | null;
  /** What this batch's scan covered, for a later batch to settle into the floor (seal-floor.ts). */
  coverage: SealCoverage;
  /** The floor after this batch (stated in its checkpoint when it wrote one). */
  floor: number;
}

export interface SealOptions {
  maxEvents?: number;
  keys?: AuditKeys;
  /**
   * Look for unsealed events from this id up instead of from just above the floor: the sealer
   * starts higher while a long transaction holds the floor back (see startAuditSealer).
   */
  fromId?: number;
  /** The caller's floor, when it knows a higher one than the latest checkpoint states. */
  floor?: number;
  /** Coverage of earlier batches this batch may settle into the floor (seal-floor.ts). */
  pending?: readonly SealCoverage[];
}

/**
 * One sealing batch, in one transaction: take the sealer lock (or return null when
 * another instance holds it), load the tree's right edge, take the oldest committed
 * unsealed events, check each MAC (a failing event is recorded in audit_rejections and
 * never sealed), assign the next gapless seqs, append the leaves, store every subtree
 * they complete, and store a signed checkpoint. A crash anywhere rolls all of it back.
 * Events that already carry a seq but are not in the tree yet (the hash-chained log
 * from before the Merkle log) are integrated first, in seq order.
 */
export async function sealBatch(db: Db, options: SealOptions = {}): Promise<SealResult | null> {
  const keys = options.keys ?? auditKeys();
  const maxEvents = options.maxEvents ?? 10_000;
  return underTryLock(db, SEALER_LOCK_KEY, async (tx) => {
    const [state] = rowsOf<{
      size: number | string | null;
      max_seq: number | string | null;
      max_id: number | string | null;
      floor: number | string;
      xmin: string;
      xid: string;
    }>(
      await tx.execute(sql`
        select (select max(tree_size) from audit_checkpoints) as size,
               (select max(seq) from audit_seqs) as max_seq,
               (select max(id) from audit_events) as max_id,
               ${STATED_FLOOR} as floor,
               pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
               pg_current_xact_id()::text as xid`),
    );
    if (!state) throw new Error("the sealer's state query returned no row");
    const maxId = state.max_id === null ? 0 : Number(state.max_id);
    const size = state.size === null ? 0 : Number(state.size);
    const maxSeq = state.max_seq === null ? 0 : Number(state.max_seq);
    const floor = Math.max(Number(state.floor), options.floor ?? 0);
    const fromId = options.fromId ?? floor + 1;
    const edge = frontierNodes(size);
    const stored = await readNodes(tx, edge);
    const range = new CompactRange(
      size,
      edge.map((n) => {
        const hash = stored.get(nodeKey(n.level, n.index));
        if (!hash) throw new Error(`audit tree node (${n.level}, ${n.index}) is missing`);
        return { level: n.level, hash };
      }),
    );

    const legacy = maxSeq > size;
    const rows: AuditEventRow[] = legacy
      ? await tx
          .select(auditEventColumns)
          .from(auditLog)
          .where(gt(auditLog.seq, size))
          .orderBy(asc(auditLog.seq))
          .limit(maxEvents)
      : await tx
          .select(auditEventColumns)
          .from(auditLog)
          .where(
            and(
              isNull(auditLog.seq),
              gte(auditLog.id, fromId),
              lte(auditLog.id, maxId),
              sql`not exists (select 1 from audit_rejections r where r.event_id = ${auditLog.id})`,
            ),
          )
          .orderBy(asc(auditLog.id))
          .limit(maxEvents);
    // A seq past the tree whose event does not exist (a row inserted into audit_seqs by hand) would
    // otherwise make every batch a legacy batch that finds nothing, and sealing stop without a word.
    if (legacy && rows[0]?.seq !== size + 1)
      throw new Error(`audit seq ${size + 1} is recorded without its event; sealing stopped`);
    // Legacy batches read by seq, not by id: they cover nothing of the id range.
    const scannedTo = legacy ? floor : rows.length === maxEvents ? (rows.at(-1)?.id ?? maxId) : maxId;
    const coverage: SealCoverage = { to: scannedTo, xid: BigInt(state.xid) };
    const newFloor = settleFloor(floor, options.pending ?? [], {
      fromFloor: !legacy && fromId <= floor + 1,
      scannedTo,
      xmin: BigInt(state.xmin),
    });
    const unchanged = { treeSize: size, note: null, ts: null, coverage, floor: newFloor };
    if (rows.length === 0) return { sealed: 0, rejected: 0, ...unchanged };

    const nodes: { level: number; index: number; hash: Hash }[] = [];
    const sealedIds: number[] = [];
    const rejectedIds: number[] = [];
    for (const row of rows) {
      const parts = canonicalParts(toAuditEvent(row));
      let seq: number;
      if (legacy) {
        seq = row.seq ?? 0;
        if (seq !== range.size + 1) throw new Error(`pre-Merkle audit events have a gap before seq ${range.size + 1}`);
        // Only events from before the Merkle log (no MAC) may carry a seq the sealer did not
        // assign; a MACed event with one had its seq set behind the sealer's back: never sign it.
        if (row.mac !== null)
          throw new Error(`audit event ${row.id} has seq ${seq} set outside the sealer; sealing stopped`);
      } else {
        if (!macMatches(keys.macKey, row.nonce, row.mac, parts)) {
          rejectedIds.push(row.id);
          continue;
        }
        seq = range.size + 1;
        sealedIds.push(row.id);
      }
      nodes.push(...range.append(leafHash(leafFromParts(seq, parts))));
    }

    if (sealedIds.length > 0) {
      const ids = `{${sealedIds.join(",")}}`;
      // Insert-only (audit_seqs); an UPDATE of the event would rewrite it into every index.
      await tx.execute(sql`
        insert into audit_seqs (seq, event_id)
        select ${size} + v.ord, v.id from unnest(${ids}::bigint[]) with ordinality as v(id, ord)`);
    }
    if (rejectedIds.length > 0) {
      await tx.execute(sql`
        insert into audit_rejections (event_id, reason)
        select unnest(${`{${rejectedIds.join(",")}}`}::bigint[]), 'mac'`);
    }
    if (nodes.length === 0) return { sealed: 0, rejected: rejectedIds.length, ...unchanged };

    await writeNodes(tx, nodes);
    const root = range.root();
    const note = signNote(checkpointText(keys.origin, range.size, root), keys.origin, keys.signingKey, keys.publicKey);
    const [inserted] = rowsOf<{ ts_ms: number | string }>(
      await tx.execute(sql`
        insert into audit_checkpoints (tree_size, root_hash, ts, note, floor_id)
        values (${range.size}, decode(${root.toString("hex")}, 'hex'), clock_timestamp(), ${note}, ${newFloor})
        returning (extract(epoch from ts) * 1000)::bigint as ts_ms`),
    );
    return {
      sealed: legacy ? rows.length : sealedIds.length,
      rejected: rejectedIds.length,
      treeSize: range.size,
      note,
      ts: inserted ? new Date(Number(inserted.ts_ms)) : null,
      coverage,
      floor: newFloor,
    };
  });
}
