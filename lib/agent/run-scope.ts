import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runs } from "@/db/schema";
import { getJobDefinition, type Governance, type JobDefinition } from "@/lib/jobs";
import type { TurnContext } from "@/lib/runtime/turn-executor";

export interface RunPolicy {
  def: JobDefinition;
  /** The governance snapshotted on the run at creation (the job's current one if absent). */
  governance: Governance;
  humanOversight: string;
}

/**
 * What a turn is held to: tools, instructions and allowlists from the job's declaration;
 * oversight from the run's governance snapshot, so a job edited mid-run cannot loosen it.
 */
export async function loadRunPolicy(
  db: Db,
  context: Pick<TurnContext, "runId" | "jobId" | "governance">,
  getJob: (id: string) => JobDefinition | undefined = getJobDefinition,
): Promise<RunPolicy | { error: string }> {
  const def = getJob(context.jobId);
  if (!def) return { error: `job "${context.jobId}" is not declared in this build` };
  const snapshot = context.governance ?? (await snapshotOf(db, context.runId));
  const governance = snapshot ?? def.governance;
  const oversight =
    typeof governance.humanOversight === "string" ? governance.humanOversight : def.governance.humanOversight;
  return { def, governance, humanOversight: oversight };
}

async function snapshotOf(db: Db, runId: string): Promise<Governance | undefined> {
  const [row] = await db.select({ governance: runs.governance }).from(runs).where(eq(runs.id, runId));
  return row?.governance;
}
