import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { auditLog } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { leafString } from "./leaf";
import {
  consistencyRanges,
  foldRange,
  inclusionRanges,
  leafHash,
  nodeKey,
  rangeNodes,
  type Hash,
  type NodeId,
  type RangeRef,
} from "./merkle";
import { auditEventColumns, toAuditEvent } from "./row";
import { latestCheckpoint, readNodes } from "./tree-store";
import type { AuditEvent } from "./types";

/** Hashes of the given ranges, from the stored perfect subtrees, in one query. */
async function rangeHashes(db: Queryable, ranges: readonly RangeRef[]): Promise<Hash[]> {
  const perRange = ranges.map((r) => rangeNodes(r.lo, r.hi));
  const wanted = new Map<string, NodeId>();
  for (const list of perRange) for (const n of list) wanted.set(nodeKey(n.level, n.index), n);
  const stored = await readNodes(db, [...wanted.values()]);
  return perRange.map((list) =>
    foldRange(
      list.map((n) => {
        const hash = stored.get(nodeKey(n.level, n.index));
        if (!hash) throw new Error(`audit tree node (${n.level}, ${n.index}) is missing`);
        return hash;
      }),
    ),
  );
}

async function resolveTreeSize(db: Queryable, requested: number | undefined): Promise<number> {
  const head = await latestCheckpoint(db);
  const latest = head?.treeSize ?? 0;
  if (requested === undefined) return latest;
  if (requested > latest)
    throw new AppError("bad_request", `treeSize ${requested} is beyond the latest checkpoint (${latest})`, {
      field: "treeSize",
    });
  return requested;
}

export interface InclusionProof {
  seq: number;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  hashes: string[];
}

/** RFC 9162 §2.1.3 audit path for event `seq` (leaf index seq − 1) in the tree of `treeSize` (default: latest checkpoint). */
export async function inclusionProof(db: Queryable, seq: number, treeSizeParam?: number): Promise<InclusionProof> {
  const treeSize = await resolveTreeSize(db, treeSizeParam);
  if (seq > treeSize) {
    throw new AppError(
      treeSizeParam === undefined ? "not_found" : "bad_request",
      treeSizeParam === undefined
        ? `seq ${seq} is not sealed yet (latest checkpoint has ${treeSize} events)`
        : `seq ${seq} is outside a tree of size ${treeSize}`,
      { field: "seq" },
    );
  }
  const leafIndex = seq - 1;
  const [leaf, ...path] = await rangeHashes(db, [
    { lo: leafIndex, hi: seq },
    ...inclusionRanges(leafIndex, 0, treeSize),
  ]);
  if (!leaf) throw new Error("leaf hash missing");
  return { seq, leafIndex, treeSize, leafHash: leaf.toString("base64"), hashes: path.map((h) => h.toString("base64")) };
}

export interface ConsistencyProof {
  from: number;
  to: number;
  hashes: string[];
}

/** RFC 9162 §2.1.4 consistency proof between tree sizes `from` and `to` (default: latest checkpoint). */
export async function consistencyProof(db: Queryable, from: number, toParam?: number): Promise<ConsistencyProof> {
  const to = await resolveTreeSize(db, toParam);
  if (from > to) throw new AppError("bad_request", `from ${from} is larger than to ${to}`, { field: "from" });
  const ranges = from === to ? [] : consistencyRanges(from, 0, to, true);
  const hashes = await rangeHashes(db, ranges);
  return { from, to, hashes: hashes.map((h) => h.toString("base64")) };
}

export interface AuditEventWithLeaf extends AuditEvent {
  canonical: string | null;
  leafHash: string | null;
}

/** One event by seq, with its exact leaf string and leaf hash. */
export async function auditEventBySeq(db: Queryable, seq: number): Promise<AuditEventWithLeaf | null> {
  const [row] = await db.select(auditEventColumns).from(auditLog).where(eq(auditLog.seq, seq)).limit(1);
  if (!row) return null;
  const event = toAuditEvent(row);
  const canonical = leafString(seq, event);
  return { ...event, canonical, leafHash: leafHash(canonical).toString("base64") };
}
