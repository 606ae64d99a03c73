import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runs } from "@/db/schema";
import { getJobDefinition, type JobDefinition } from "@/lib/jobs";

export interface RunPolicy {
  def: JobDefinition;
  /** The governance snapshotted on the run at creation (the job's current one if absent). */
  governance: Record<string, unknown>;
  humanOversight: string;
}

/**
 * What a turn is held to: tools, instructions and allowlists from the job's declaration;
 * oversight from the run's governance snapshot, so a job edited mid-run cannot loosen it.
 */
export async function loadRunPolicy(
  db: Db,
  runId: string,
  jobId: string,
  getJob: (id: string) => JobDefinition | undefined = getJobDefinition,
): Promise<RunPolicy | { error: string }> {
  const def = getJob(jobId);
  if (!def) return { error: `job "${jobId}" is not declared in this build` };
  const [row] = await db.select({ governance: runs.governance }).from(runs).where(eq(runs.id, runId));
  const governance = row?.governance ?? (def.governance as unknown as Record<string, unknown>);
  const oversight = typeof governance.humanOversight === "string" ? governance.humanOversight : def.governance.humanOversight;
  return { def, governance, humanOversight: oversight };
}
