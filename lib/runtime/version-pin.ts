import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { runs } from "@/db/schema";
import { getJobDefinition, jobVersion } from "@/lib/jobs";
import type { RunRow } from "./transitions";

/**
 * A run executes with the job version it was created with: tools, allowlist and
 * instructions come from this build's declaration, so a worker runs a turn only when its
 * build declares that exact version (content hash). Otherwise it leaves the claim to a
 * worker that has it and says why on the run. Returns the reason, or null when it can run.
 */
export function missingVersion(run: Pick<RunRow, "jobId" | "jobVersion">): string | null {
  const def = getJobDefinition(run.jobId);
  if (!def) return `version:${run.jobVersion} (job ${run.jobId} is not declared in this worker's build)`;
  const here = jobVersion(def);
  if (here === run.jobVersion) return null;
  return `version:${run.jobVersion} (this worker's build has ${run.jobId}@${here})`;
}

/** Shows on the run why no worker takes it: state_reason `version:<v> (…)`, written only when it changes. */
export async function markVersionWait(tx: Tx, run: RunRow, reason: string): Promise<void> {
  if (run.stateReason === reason) return;
  await tx
    .update(runs)
    .set({ stateReason: reason, updatedAt: sql`now()` })
    .where(and(eq(runs.id, run.id), sql`${runs.stateReason} is distinct from ${reason}`));
}
