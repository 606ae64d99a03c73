import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { UNSEALED_EVENT } from "@/lib/audit/seal-floor";
import { LiveProofRefused } from "./live";
import { until } from "./wait";

export async function newestEventId(db: Db): Promise<number> {
  const [top] = rowsOf<{ id: number | string | null }>(await db.execute(sql`select max(id) as id from audit_events`));
  return Number(top?.id ?? 0);
}

/**
 * Waits until every event committed so far is sealed or refused — live, by the deployment's
 * sealer — and fails if any event after `sinceId` was refused (its MAC did not verify with the
 * deployment's key: the keys changed under the proof). Events written after the call do not hold it up.
 */
export async function waitUntilSealed(db: Db, timeoutMs: number, sinceId: number): Promise<void> {
  const upTo = await newestEventId(db);
  const sealed = await until(async () => {
    const [row] = rowsOf<{ n: number | string }>(
      await db.execute(sql`select count(*) as n from audit_events e
        where e.id <= ${upTo} and ${UNSEALED_EVENT}`),
    );
    return Number(row?.n ?? 0) === 0;
  }, timeoutMs);
  if (!sealed)
    throw new LiveProofRefused(
      `the proof's audit events were not sealed within ${timeoutMs / 1000} s: is the deployment (and so its audit sealer) running?`,
    );
  const [refused] = rowsOf<{ n: number | string }>(
    await db.execute(
      sql`select count(*) as n from audit_rejections where event_id > ${sinceId} and event_id <= ${upTo}`,
    ),
  );
  if (Number(refused?.n ?? 0) > 0)
    throw new LiveProofRefused(
      `the deployment's sealer refused ${Number(refused?.n)} of the events written during the proof (MAC mismatch): did the deployment's audit keys change?`,
    );
}
