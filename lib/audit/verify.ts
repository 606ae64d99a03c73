import "server-only";
import { asc, gt } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { GENESIS_HASH, computeAuditHash } from "./hash";
import { auditEventColumns, toAuditEvent } from "./row";
import type { AuditVerifyResult } from "./types";

export interface VerifyOptions {
  /** Rows per query; memory stays bounded by one batch however long the log is. */
  batchSize?: number;
}

/**
 * Recomputes the chain from seq 1: every seq must follow its predecessor, every
 * prev_hash must equal the predecessor's hash, and every hash must match the row's
 * content. Reads in seq order by keyset pagination and stops at the first problem.
 * Appends made while it runs only extend the tail, which it then also checks.
 */
export async function verifyAuditChain(db: Queryable, options: VerifyOptions = {}): Promise<AuditVerifyResult> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000));
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  let checked = 0;
  const bad = (seq: number, problem: "gap" | "link" | "hash"): AuditVerifyResult => ({
    ok: false,
    checked,
    firstBadSeq: seq,
    problem,
  });

  for (;;) {
    const rows = (await db
      .select(auditEventColumns)
      .from(auditEvents)
      .where(gt(auditEvents.seq, lastSeq))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize));
    for (const row of rows) {
      if (row.seq !== lastSeq + 1) return bad(lastSeq + 1, "gap");
      const event = toAuditEvent(row);
      if (event.prevHash !== lastHash) return bad(event.seq, "link");
      if (computeAuditHash(event, event.prevHash) !== event.hash) return bad(event.seq, "hash");
      lastSeq = event.seq;
      lastHash = event.hash;
      checked += 1;
    }
    if (rows.length < batchSize) return { ok: true, checked, firstBadSeq: null, problem: null };
  }
}
