import "server-only";
import { and, asc, gt, isNotNull, isNull, lte } from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditEvents } from "@/db/schema";
import { readAnchorFiles } from "./anchor";
import { GENESIS_HASH, computeAuditHash } from "./hash";
import { auditKeys, type AuditKeys } from "./keys";
import { canonicalParts, leafFromParts, macMatches } from "./leaf";
import { CompactRange, leafHash } from "./merkle";
import { openCheckpoint } from "./note";
import { auditEventColumns, toAuditEvent } from "./row";
import type { AuditVerifyResult } from "./types";

export interface VerifyOptions {
  /** Rows per query; memory stays bounded by one batch however long the log is. */
  batchSize?: number;
  /** Directory of anchored checkpoints (default FLIGHTDECK_AUDIT_ANCHOR_DIR). */
  anchorDir?: string | null;
  keys?: AuditKeys;
}

interface Point {
  size: number;
  root: Buffer;
  /** A stored checkpoint whose note does not verify. */
  badSignature?: boolean;
}

/** Stored checkpoints in tree-size order, read a page at a time. */
function checkpointReader(db: Queryable, keys: AuditKeys, pageSize: number, maxSize: number) {
  let after = 0;
  let page: Point[] = [];
  let done = false;
  return {
    async peek(): Promise<Point | null> {
      if (page.length === 0 && !done) {
        const rows = rowsOf<{ tree_size: number | string; root_hash: Uint8Array; note: string }>(
          await db.execute(
            sql`select tree_size, root_hash, note from audit_checkpoints where tree_size > ${after} and tree_size <= ${maxSize} order by tree_size limit ${pageSize}`,
          ),
        );
        if (rows.length < pageSize) done = true;
        page = rows.map((r) => {
          const size = Number(r.tree_size);
          const root = Buffer.from(r.root_hash);
          const opened = openCheckpoint(r.note, keys.origin, keys.publicKey);
          const badSignature =
            !opened || opened.treeSize !== size || !opened.rootHash.equals(root) || opened.origin !== keys.origin;
          return { size, root, badSignature };
        });
        const last = page[page.length - 1];
        if (last) after = last.size;
      }
      return page[0] ?? null;
    },
    shift() {
      page.shift();
    },
  };
}

/**
 * Recomputes the Merkle log from seq 1 and names the first event that can no longer be
 * shown intact: seqs must be gapless; every event's MAC must verify (events from before
 * the Merkle log instead re-check their hash chain); every stored checkpoint must be
 * signed by the log's key and match the root recomputed at its size; every anchored
 * checkpoint (files in the anchor directory, outside the database) must match too, so a
 * history rewritten consistently after it was anchored is caught. Reads by keyset pages
 * and keeps only the tree's right edge in memory. Unsealed events are MAC-checked too.
 */
export async function verifyAuditLog(db: Queryable, options: VerifyOptions = {}): Promise<AuditVerifyResult> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5000));
  const keys = options.keys ?? auditKeys();
  const anchorDir =
    options.anchorDir === undefined
      ? (await import("@/lib/env")).getEnv().FLIGHTDECK_AUDIT_ANCHOR_DIR
      : options.anchorDir;
  const anchors: Point[] = [];
  for (const { note } of anchorDir ? await readAnchorFiles(anchorDir) : []) {
    const opened = openCheckpoint(note, keys.origin, keys.publicKey);
    if (opened && opened.origin === keys.origin) anchors.push({ size: opened.treeSize, root: opened.rootHash });
  }
  anchors.sort((a, b) => a.size - b.size);
  const anchorsChecked = anchors.length;
  // The log as it stands now: the sealer keeps going while this runs, and a batch it commits later
  // (events and their checkpoint, in one transaction) is left out whole, events and checkpoint alike.
  const [head] = rowsOf<{ max: number | string | null }>(
    await db.execute(sql`select max(seq) as max from audit_events`),
  );
  const maxSeq = Number(head?.max ?? 0);
  const checkpoints = checkpointReader(db, keys, 1000, maxSeq);

  const range = new CompactRange(0);
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
    for (let cp = await checkpoints.peek(); cp && cp.size <= range.size; cp = await checkpoints.peek()) {
      checkpoints.shift();
      treeSize = cp.size;
      if (cp.badSignature) return result(lastGood + 1, "signature");
      if (cp.size < range.size || !cp.root.equals(range.root())) return result(lastGood + 1, "checkpoint");
      lastGood = cp.size;
    }
    while (anchors[0] && anchors[0].size <= range.size) {
      const anchor = anchors.shift() as Point;
      if (!anchor.root.equals(range.root())) return result(lastGoodAnchor + 1, "anchor");
      lastGood = Math.max(lastGood, anchor.size);
      lastGoodAnchor = anchor.size;
    }
    return null;
  };

  const first = await atSize();
  if (first) return first;
  for (;;) {
    const rows = await db
      .select(auditEventColumns)
      .from(auditEvents)
      .where(and(isNotNull(auditEvents.seq), gt(auditEvents.seq, lastSeq), lte(auditEvents.seq, maxSeq)))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    for (const row of rows) {
      const seq = row.seq ?? 0;
      if (seq !== lastSeq + 1) return result(lastSeq + 1, "gap");
      const event = toAuditEvent(row);
      if (row.mac === null && legacyHash !== null) {
        if (row.prevHash !== legacyHash) return result(seq, "link");
        if (computeAuditHash({ ...event, seq }, legacyHash) !== row.hash) return result(seq, "hash");
        legacyHash = row.hash;
      }
      const parts = canonicalParts(event);
      if (row.mac !== null || legacyHash === null) {
        if (!macMatches(keys.macKey, row.nonce, row.mac, parts)) return result(seq, "mac");
        legacyHash = null;
      }
      range.append(leafHash(leafFromParts(seq, parts)), false);
      lastSeq = seq;
      const bad = await atSize();
      if (bad) return bad;
      checked += 1;
    }
    if (rows.length < batchSize) break;
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

/** MACs of the events not sealed yet; the ids of those that fail (at most 100 listed). */
async function unsealedCheck(
  db: Queryable,
  keys: AuditKeys,
  batchSize: number,
): Promise<{ unsealed: number; badUnsealedIds: number[] }> {
  let after = 0;
  let unsealed = 0;
  const badUnsealedIds: number[] = [];
  for (;;) {
    const rows = await db
      .select(auditEventColumns)
      .from(auditEvents)
      .where(and(isNull(auditEvents.seq), gt(auditEvents.id, after)))
      .orderBy(asc(auditEvents.id))
      .limit(batchSize);
    for (const row of rows) {
      after = row.id;
      unsealed += 1;
      if (!macMatches(keys.macKey, row.nonce, row.mac, toAuditEvent(row)) && badUnsealedIds.length < 100)
        badUnsealedIds.push(row.id);
    }
    if (rows.length < batchSize) return { unsealed, badUnsealedIds };
  }
}

/** The name callers used for the hash chain; the Merkle log verification replaces it. */
export const verifyAuditChain = verifyAuditLog;
