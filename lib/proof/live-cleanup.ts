import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { sqlTextArray } from "@/db/text-array";
import type { Principal } from "@/lib/audit";
import { BULK_CONTROL_MAX, bulkRunControl } from "@/lib/runtime";

/**
 * The proof's runs not finished (test 1's greedy tenant still waiting for a quota window when it
 * ends, everything after a failure, or what a killed proof left) are cancelled as an operator
 * would, one audited change each: none is left holding a fair-share key active or waiting for a
 * worker no deployment has. Called when a live proof starts and when it ends.
 */
export async function cancelLeftoverRuns(db: Db, jobIds: readonly string[], principal: Principal): Promise<number> {
  const open = rowsOf<{ id: string }>(
    await db.execute(sql`select id from runs where job_id = any(${sqlTextArray(jobIds)})
      and state not in ('succeeded', 'failed', 'cancelled', 'timed_out')`),
  );
  let cancelled = 0;
  for (let from = 0; from < open.length; from += BULK_CONTROL_MAX) {
    const ids = open.slice(from, from + BULK_CONTROL_MAX).map((r) => r.id);
    // A run with a turn in flight only has its cancel requested: not counted here.
    cancelled += (await bulkRunControl(db, ids, "cancel", principal)).applied.filter((a) => !a.pending).length;
  }
  return cancelled;
}
