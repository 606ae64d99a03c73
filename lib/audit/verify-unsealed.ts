import "server-only";
import { and, asc, gt, isNull } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { AuditKeys } from "./keys";
import { macMatches } from "./leaf";
import { auditEventColumns, toAuditEvent } from "./row";

/** MACs of the events not sealed yet; the ids of those that fail (at most 100 listed). */
export async function unsealedCheck(
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
