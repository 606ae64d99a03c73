import "server-only";
import { computeAuditHash } from "./hash";
import { canonicalParts, leafFromParts, macMatches } from "./leaf";
import { leafHash, nodeHash } from "./merkle";
import type { AuditEventContent } from "./types";
import type { SealedRow } from "./sealed-row";

/** A pre-Merkle event (no MAC): whether it continues the hash chain is decided in seq order by the caller. */
export interface LegacyLink {
  seq: number;
  prevHash: string | null;
  hash: string | null;
  /** Its chain hash recomputed over its content and its own prev_hash equals its hash. */
  hashOk: boolean;
}

/**
 * What can be checked of the seqs after < seq ≤ upTo without knowing the rest of the log:
 * a worker thread computes it for one range while others compute the next, and verify
 * folds the results in seq order (lib/audit/verify.ts).
 */
export interface ChunkResult {
  after: number;
  upTo: number;
  /** Seqs after+1 … after+count were present, in order, and passed the MAC check (or have none). */
  count: number;
  /**
   * The perfect subtrees over those leaves, 32 bytes each, level by level: the leaf
   * hashes, then floor(count / 2) nodes of level 1, and so on (see levelOffset). Hashing
   * them here leaves the thread that folds the ranges O(log n) work per range and checkpoint.
   */
  nodes: Uint8Array;
  /** Those of them without a MAC, in seq order. */
  legacy: LegacyLink[];
  /**
   * Why the chunk ends after `count` rows: "gap" — seq after+count+1 is missing and a
   * later row of the range exists; "mac" — that seq's MAC does not verify; "short" — no
   * row of the range follows; null — the range is complete.
   */
  stop: "gap" | "mac" | "short" | null;
}

/** Byte offset of a level's first node in ChunkResult.nodes, for `count` leaves. */
export function levelOffset(count: number, level: number): number {
  let nodes = 0;
  for (let l = 0; l < level; l += 1) nodes += Math.floor(count / 2 ** l);
  return nodes * 32;
}

export function checkChunk(rows: readonly SealedRow[], after: number, upTo: number, macKey: Buffer): ChunkResult {
  const checker = new ChunkChecker(after, upTo, macKey);
  for (const row of rows) if (!checker.add(row)) break;
  return checker.finish();
}

/**
 * checkChunk one row at a time, so a range thread can check rows as the driver parses
 * them instead of holding the whole range (fewer objects survive to be copied by the GC).
 */
export class ChunkChecker {
  // A tree over n leaves has fewer than 2n perfect subtrees.
  private readonly nodes: Uint8Array;
  private readonly legacy: LegacyLink[] = [];
  private count = 0;
  private stop: ChunkResult["stop"] = null;

  constructor(
    private readonly after: number,
    private readonly upTo: number,
    private readonly macKey: Buffer,
  ) {
    this.nodes = new Uint8Array(Math.max(0, upTo - after) * 2 * 32);
  }

  /** Checks the next row; false once the range has stopped (later rows are ignored). */
  add(row: SealedRow): boolean {
    if (this.stop) return false;
    const seq = Number(row.seq);
    if (seq !== this.after + this.count + 1) {
      this.stop = "gap";
      return false;
    }
    const ts = isoTime(row.ts_ms);
    if (ts === null) return this.badContent(row, seq);
    const content: AuditEventContent = {
      ts,
      actor: { kind: row.actor_kind, id: row.actor_id, label: row.actor_label },
      action: row.action,
      subject: { type: row.subject_type, id: row.subject_id },
      authorization: row.authorization,
      payload: row.payload,
    };
    const parts = canonicalParts(content);
    if (row.mac === null) {
      const hashOk = row.prev_hash !== null && computeAuditHash({ ...content, seq }, row.prev_hash) === row.hash;
      this.legacy.push({ seq, prevHash: row.prev_hash, hash: row.hash, hashOk });
    } else if (!macMatches(this.macKey, row.nonce, row.mac, parts)) {
      this.stop = "mac";
      return false;
    }
    this.nodes.set(leafHash(leafFromParts(seq, parts)), this.count * 32);
    this.count += 1;
    return true;
  }

  /**
   * A row whose ts no JavaScript date can hold (infinite, or beyond ±275760 years) cannot
   * be what was MACed or hashed: like any other changed content, a MAC failure, or for a
   * pre-Merkle event a chain hash that no longer matches.
   */
  private badContent(row: SealedRow, seq: number): boolean {
    if (row.mac !== null) {
      this.stop = "mac";
      return false;
    }
    this.legacy.push({ seq, prevHash: row.prev_hash, hash: row.hash, hashOk: false });
    // Its leaf is never folded: the fold stops at this seq whatever its link says.
    this.count += 1;
    return true;
  }

  finish(): ChunkResult {
    const { after, upTo, count, legacy } = this;
    const stop = this.stop ?? (after + count < upTo ? "short" : null);
    const size = hashLevels(this.nodes, count);
    return { after, upTo, count, nodes: this.nodes.subarray(0, size), legacy, stop };
  }
}

/** Fills the levels above the `count` leaf hashes at the start of `nodes`; returns the bytes used. */
function hashLevels(nodes: Uint8Array, count: number): number {
  let from = 0;
  let width = count;
  let to = width * 32;
  while (width > 1) {
    const parents = Math.floor(width / 2);
    for (let i = 0; i < parents; i += 1) {
      const left = nodes.subarray(from + 2 * i * 32, from + (2 * i + 1) * 32);
      const right = nodes.subarray(from + (2 * i + 1) * 32, from + (2 * i + 2) * 32);
      nodes.set(nodeHash(left, right), to + i * 32);
    }
    from += width * 32;
    to += parents * 32;
    width = parents;
  }
  return to;
}

/** The ISO string of epoch milliseconds, or null when there is none (see SealedRow.ts_ms). */
function isoTime(ms: SealedRow["ts_ms"]): string | null {
  const date = new Date(ms === null ? Number.NaN : Number(ms));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
