import "server-only";
import { and, asc, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import { UNSEALED_FLOOR } from "./health";
import type { AuditKeys } from "./keys";
import { macMatches } from "./leaf";
import { auditEventColumns, toAuditEvent } from "./row";

/**
 * MACs of the events not sealed yet; the ids of those that fail (at most 100 listed). Those are
 * the events the sealer refused and those above its floor (lib/audit/seal-floor.ts): below the
 * floor every other event has a seq, so the whole log is not walked for the few without one.
 */
export async function unsealedCheck(
  db: Queryable,
  keys: AuditKeys,
  batchSize: number,
): Promise<{ unsealed: number; badUnsealedIds: number[] }> {
  const [state] = rowsOf<{ floor: number | string }>(await db.execute(sql`select ${UNSEALED_FLOOR} as floor`));
  const floor = Number(state?.floor ?? 0);
  let unsealed = 0;
  const badUnsealedIds: number[] = [];
  const walk = async (where: SQL | undefined, from: number, upTo: number) => {
    let after = from;
    for (;;) {
      const rows = await db
        .select(auditEventColumns)
        .from(auditLog)
        .where(and(isNull(auditLog.seq), gt(auditLog.id, after), where))
        .orderBy(asc(auditLog.id))
        .limit(batchSize);
      for (const row of rows) {
        after = row.id;
        if (row.id > upTo) continue;
        unsealed += 1;
        if (!macMatches(keys.macKey, row.nonce, row.mac, toAuditEvent(row)) && badUnsealedIds.length < 100)
          badUnsealedIds.push(row.id);
      }
      if (rows.length < batchSize || after > upTo) return;
    }
  };
  // Refused events at or below the floor, by audit_rejections' key; then everything above it.
  await walk(sql`${auditLog.id} in (select event_id from audit_rejections where event_id <= ${floor})`, 0, floor);
  await walk(undefined, floor, Number.MAX_SAFE_INTEGER);
  return { unsealed, badUnsealedIds };
}
