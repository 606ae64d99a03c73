import "server-only";
import { and, asc, gt, isNull, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import { STATED_FLOOR } from "./seal-floor";
import type { AuditKeys } from "./keys";
import { macMatches } from "./leaf";
import { auditEventColumns, toAuditEvent } from "./row";

/**
 * MACs of the events not sealed yet; the ids of those that fail (at most 100 listed). Below the
 * sealer's floor (lib/audit/seal-floor.ts) the only ones should be those it refused, but a row
 * written around the sealer (an explicit id in a gap a rollback left) would sit there unsealed
 * forever: that part is one anti-join over the log's ids; above the floor, where a backlog waits,
 * the walk goes by the primary key.
 */
export async function unsealedCheck(
  db: Queryable,
  keys: AuditKeys,
  batchSize: number,
): Promise<{ unsealed: number; badUnsealedIds: number[] }> {
  const [state] = rowsOf<{ floor: number | string }>(await db.execute(sql`select ${STATED_FLOOR} as floor`));
  const floor = Number(state?.floor ?? 0);
  let unsealed = 0;
  const badUnsealedIds: number[] = [];
  const walk = async (where: SQL | undefined, from: number) => {
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
        unsealed += 1;
        if (!macMatches(keys.macKey, row.nonce, row.mac, toAuditEvent(row)) && badUnsealedIds.length < 100)
          badUnsealedIds.push(row.id);
      }
      if (rows.length < batchSize) return;
    }
  };
  // Below the floor: the ids alone first (an anti-join of two index-only scans, 0.35 s at 1M events,
  // against 0.76 s reading whole rows); they are few (refused events, anything written around the sealer).
  const below = rowsOf<{ id: number | string }>(
    await db.execute(sql`
      select e.id from audit_events e
      where e.id <= ${floor} and not exists (select 1 from audit_seqs s where s.event_id = e.id)`),
  )
    .map((r) => Number(r.id))
    .sort((a, b) => a - b);
  for (let i = 0; i < below.length; i += batchSize) {
    const chunk = below.slice(i, i + batchSize);
    await walk(sql`${auditLog.id} = any(${`{${chunk.join(",")}}`}::bigint[])`, Number.MIN_SAFE_INTEGER);
  }
  await walk(undefined, floor);
  return { unsealed, badUnsealedIds };
}
