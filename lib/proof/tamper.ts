import "server-only";
import { sql } from "drizzle-orm";
import { verifyAuditLog } from "@/lib/audit";
import type { AuditVerifyResult } from "@/lib/audit";
import type { ScratchDatabase } from "./scratch-database";

export interface TamperCheck {
  seq: number;
  /** What was changed in the copy. */
  change: string;
  /** The copy's verification before the edit: it must hold, or the failure after says nothing. */
  before: AuditVerifyResult;
  result: AuditVerifyResult;
}

/**
 * A database superuser's edit, made on a COPY: the audit guards are disabled (as only a
 * superuser can) and one sealed event's actor is rewritten. Verification of the copy must
 * name that event. The original is left as it was (a scratch database is closed first; live, the
 * copy is an export of the deployment's audit tables: lib/proof/live.ts).
 */
export async function tamperCopy(
  scratch: ScratchDatabase,
  seq: number,
  options: { anchorDir: string | undefined },
): Promise<{ copy: ScratchDatabase; check: TamperCheck }> {
  const copy = await scratch.closeAndCopy();
  const before = await verifyAuditLog(copy.handle.db, { anchorDir: options.anchorDir });
  const change = `actor_label of event #${seq} rewritten to "someone-else@proof.example"`;
  await copy.handle.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger all`);
    await tx.execute(
      sql`update audit_events set actor_label = 'someone-else@proof.example' where id = (select event_id from audit_seqs where seq = ${seq})`,
    );
    await tx.execute(sql`alter table audit_events enable trigger all`);
  });
  const result = await verifyAuditLog(copy.handle.db, { anchorDir: options.anchorDir });
  return { copy, check: { seq, change, before, result } };
}
