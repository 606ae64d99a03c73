import "server-only";
import { availableParallelism } from "node:os";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { logger } from "@/lib/log";
import { GENESIS_HASH } from "./hash";
import { auditKeys, type AuditKeys } from "./keys";
import type { AuditVerifyResult } from "./types";
import type { ChunkResult } from "./verify-chunk";
import { checkpointReader, readAnchors, type Point } from "./verify-checkpoints";
import { localChunks } from "./verify-local";
import { RangedTree } from "./verify-tree";
import { unsealedCheck } from "./verify-unsealed";
import { rangeThreadFiles, workerChunks } from "./verify-workers";

export interface VerifyOptions {
  /**
   * Seqs per range (one query each), rounded down to a power of two so every range is a
   * perfect subtree of the log (2000 reads 1024 at a time); memory stays bounded by a few
   * ranges however long the log is.
   */
  batchSize?: number;
  /** Directory of anchored checkpoints (default FLIGHTDECK_AUDIT_ANCHOR_DIR). */
  anchorDir?: string | null;
  keys?: AuditKeys;
  /**
   * Postgres URL of the same database: the seq range is then split into chunks of
   * batchSize read and hashed by worker threads, each on its own connection. Without it
   * (embedded PGlite, a transaction) everything runs in this thread.
   */
  url?: string;
  /** Worker threads when url is set (default: one per core, at most 4); 0 keeps the walk in this thread. */
  threads?: number;
}

/**
 * Recomputes the Merkle log from seq 1 and names the first event that can no longer be
 * shown intact: seqs must be gapless; every event's MAC must verify (events from before
 * the Merkle log instead re-check their hash chain); every stored checkpoint must be
 * signed by the log's key and match the root recomputed at its size; every anchored
 * checkpoint (files in the anchor directory, outside the database) must match too, so a
 * history rewritten consistently after it was anchored is caught. Unsealed events are
 * MAC-checked too.
 *
 * The seqs are read in ranges of batchSize; what a range can show on its own (seqs
 * present, MACs, chain hashes, leaf hashes) is computed for several ranges at once by
 * worker threads when a Postgres URL is given (verify-workers.ts), and folded here in seq
 * order — links, the tree, checkpoints and anchors — so the first bad seq is the one a
 * sequential walk would name. Memory holds the tree's right edge and a bounded number of ranges.
 */
export function verifyAuditLog(db: Queryable, options: VerifyOptions = {}): Promise<AuditVerifyResult> {
  const threads = Math.max(0, Math.floor(options.threads ?? Math.min(4, availableParallelism())));
  const url = options.url;
  const files = url && threads > 0 ? rangeThreadFiles() : null;
  if (url && threads > 0 && !files)
    logger(
      "warn",
      "audit verify: the range threads' files are not beside lib/audit/verify-workers; verifying in this thread",
    );
  const ranges: RangeSource =
    url && files
      ? (maxSeq, chunkSize, macKey) => workerChunks({ url, threads, maxSeq, chunkSize, macKey, files })
      : (maxSeq, chunkSize, macKey) => localChunks(db, maxSeq, chunkSize, macKey);
  return verifyRanges(db, options, ranges);
}

/** The checked ranges of chunkSize seqs covering 1 … maxSeq, in seq order (ChunkResult). */
export type RangeSource = (maxSeq: number, chunkSize: number, macKey: Buffer) => AsyncIterable<ChunkResult>;

/**
 * verifyAuditLog's fold over ranges from `ranges`: apart from the two sources above, tests
 * give it one that checks ranges in this process and finishes them out of order, so the
 * fold's every case runs in milliseconds and on PGlite too.
 */
export async function verifyRanges(
  db: Queryable,
  options: VerifyOptions,
  ranges: RangeSource,
): Promise<AuditVerifyResult> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5000));
  // Ranges are aligned powers of two, so each is one perfect subtree of the log (verify-tree.ts).
  const chunkSize = 2 ** Math.floor(Math.log2(batchSize));
  const keys = options.keys ?? auditKeys();
  const anchorDir =
    options.anchorDir === undefined
      ? (await import("@/lib/env")).getEnv().FLIGHTDECK_AUDIT_ANCHOR_DIR
      : options.anchorDir;
  const anchors = await readAnchors(keys, anchorDir);
  const anchorsChecked = anchors.length;
  // The log as it stands now: the sealer keeps going while this runs, and a batch it commits later
  // (events and their checkpoint, in one transaction) is left out whole, events and checkpoint alike.
  const [head] = rowsOf<{ max: number | string | null }>(await db.execute(sql`select max(seq) as max from audit_seqs`));
  const maxSeq = Number(head?.max ?? 0);
  const checkpoints = checkpointReader(db, keys, 1000, maxSeq);

  const tree = new RangedTree();
  let checked = 0;
  let lastSeq = 0;
  let legacyHash: string | null = GENESIS_HASH; // null once a MAC'd event was seen
  let lastGood = 0; // size of the last checkpoint or anchor that matched
  let lastGoodAnchor = 0; // the same, counting anchors only (a rewrite may have re-signed stored checkpoints)
  let treeSize = 0;
  const tail = await unsealedCheck(db, keys, batchSize);
  const result = (firstBadSeq: number | null, problem: AuditVerifyResult["problem"]): AuditVerifyResult => ({
    ok: firstBadSeq === null && tail.badUnsealedIds.length === 0,
    checked,
    firstBadSeq,
    problem,
    treeSize,
    anchorsChecked,
    ...tail,
  });

  // Compares the recomputed root with every checkpoint and anchor at the current size.
  const atSize = async (): Promise<AuditVerifyResult | null> => {
    for (let cp = await checkpoints.peek(); cp && cp.size <= tree.size; cp = await checkpoints.peek()) {
      checkpoints.shift();
      treeSize = cp.size;
      if (cp.badSignature) return result(lastGood + 1, "signature");
      if (cp.size < tree.size || !cp.root.equals(tree.root())) return result(lastGood + 1, "checkpoint");
      lastGood = cp.size;
    }
    while (anchors[0] && anchors[0].size <= tree.size) {
      const anchor = anchors.shift() as Point;
      if (!anchor.root.equals(tree.root())) return result(lastGoodAnchor + 1, "anchor");
      lastGood = Math.max(lastGood, anchor.size);
      lastGoodAnchor = anchor.size;
    }
    return null;
  };

  // Checkpoints and anchors are compared only when the tree reaches the size of the next one.
  let nextAt = 0;
  const atNext = async (): Promise<AuditVerifyResult | null> => {
    const bad = await atSize();
    nextAt = Math.min((await checkpoints.peek())?.size ?? Infinity, anchors[0]?.size ?? Infinity);
    return bad;
  };

  const first = await atNext();
  if (first) return first;
  const chunks = ranges(maxSeq, chunkSize, keys.macKey);
  // Seq `seq` passed its own checks: the tree grows to it, and any checkpoint or anchor of that size is compared.
  const grow = async (seq: number): Promise<AuditVerifyResult | null> => {
    tree.size = seq;
    lastSeq = seq;
    checked = seq - 1;
    if (seq >= nextAt) {
      const bad = await atNext();
      if (bad) return bad;
    }
    checked = seq;
    return null;
  };
  // Seqs up to `upTo` that carry a valid MAC (checked in their range): only checkpoint sizes among them need a stop.
  const growTo = async (upTo: number): Promise<AuditVerifyResult | null> => {
    if (upTo <= lastSeq) return null;
    legacyHash = null;
    while (nextAt <= upTo) {
      const bad = await grow(nextAt);
      if (bad) return bad;
    }
    tree.size = upTo;
    lastSeq = upTo;
    checked = upTo;
    return null;
  };
  // A range that ended short: if any later row exists, the seqs between are missing.
  let short = false;
  for await (const chunk of chunks) {
    if (short && (chunk.count > 0 || chunk.stop !== "short")) return result(lastSeq + 1, "gap");
    if (short) continue;
    if (chunk.count > 0) tree.enter(chunk);
    for (const legacy of chunk.legacy) {
      const before = await growTo(legacy.seq - 1);
      if (before) return before;
      // Without a MAC: a link of the pre-Merkle chain, or — once MAC'd events began — a MAC failure.
      if (legacyHash === null) return result(legacy.seq, "mac");
      if (legacy.prevHash !== legacyHash) return result(legacy.seq, "link");
      if (!legacy.hashOk) return result(legacy.seq, "hash");
      legacyHash = legacy.hash;
      const bad = await grow(legacy.seq);
      if (bad) return bad;
    }
    const bad = await growTo(chunk.after + chunk.count);
    if (bad) return bad;
    if (chunk.stop === "gap" || chunk.stop === "mac") return result(lastSeq + 1, chunk.stop);
    if (chunk.stop === "short") short = true;
  }
  // Whatever a checkpoint or anchor covers beyond the last row is missing.
  const beyond = await checkpoints.peek();
  if (beyond) {
    treeSize = beyond.size;
    return result(lastSeq + 1, "gap");
  }
  if (anchors[0]) return result(lastSeq + 1, "anchor");
  // Sealed events beyond the newest checkpoint (pre-Merkle events may still wait for integration).
  if (treeSize < lastSeq && legacyHash === null) return result(treeSize + 1, "checkpoint");
  return result(null, null);
}

/** The name callers used for the hash chain; the Merkle log verification replaces it. */
export const verifyAuditChain = verifyAuditLog;
