import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { AUDIT_LOCK_KEY, computeAuditHash } from "@/lib/audit";
import { benchEvent } from "./events";

export interface ChainHead {
  seq: number;
  hash: string;
  /** Epoch ms of the head event's ts (0 on an empty log). */
  ms: number;
}

export interface BulkLoadResult {
  rows: number;
  seconds: number;
  head: ChainHead;
  firstMs: number;
}

// "authorization" is a reserved word, so every column is quoted.
const columns = ["seq", "ts", "actor_kind", "actor_id", "actor_label", "action", "subject_type", "subject_id", "authorization", "payload", "prev_hash", "hash"]
  .map((c) => `"${c}"`)
  .join(", ");

/** COPY text format: backslash, tab, newline and carriage return are escaped; \N is NULL. */
const field = (v: string | null) =>
  v === null ? "\\N" : v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");

/**
 * Extends the chain from `head` to `targetSeq` with one COPY in one transaction. Rows are
 * computed here exactly as appendAudit computes them (benchEvent content, computeAuditHash
 * over it and the previous hash); ts advances by `stepMs` per event from the head's ts.
 * The chain lock is taken like appendAudit does, so nothing can interleave.
 */
export async function bulkLoad(url: string, head: ChainHead, targetSeq: number, stepMs: number): Promise<BulkLoadResult> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  let prevHash = head.hash;
  const firstMs = head.ms + stepMs;
  function* chunks(): Generator<string> {
    const lines: string[] = [];
    for (let seq = head.seq + 1; seq <= targetSeq; seq++) {
      const e = benchEvent(seq);
      const ts = new Date(head.ms + (seq - head.seq) * stepMs).toISOString();
      const payload = e.payload ?? {};
      const hash = computeAuditHash({ seq, ts, actor: e.actor, action: e.action, subject: e.subject, authorization: e.authorization, payload }, prevHash);
      lines.push(
        [String(seq), ts, e.actor.kind, e.actor.id, e.actor.label, e.action, e.subject.type, e.subject.id, JSON.stringify(e.authorization), JSON.stringify(payload), prevHash, hash]
          .map(field)
          .join("\t"),
      );
      prevHash = hash;
      if (lines.length === 2000) yield `${lines.splice(0).join("\n")}\n`;
    }
    if (lines.length > 0) yield `${lines.join("\n")}\n`;
  }
  const t0 = performance.now();
  try {
    await client.begin(async (tx) => {
      await tx.unsafe(`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
      const sink = await tx.unsafe(`copy audit_events (${columns}) from stdin`).writable();
      await pipeline(Readable.from(chunks()), sink);
    });
  } finally {
    await client.end({ timeout: 5 });
  }
  const rows = targetSeq - head.seq;
  return {
    rows,
    seconds: (performance.now() - t0) / 1000,
    head: { seq: targetSeq, hash: prevHash, ms: head.ms + rows * stepMs },
    firstMs,
  };
}
