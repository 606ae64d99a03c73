import "server-only";
import type { AuditInput } from "@/lib/audit/types";
import type { RunRow } from "./transitions";

/** Workers act as the system; the audit names which worker. */
export function workerActor(workerId: string): AuditInput["actor"] {
  return { kind: "system", id: workerId, label: `worker ${workerId}` };
}

/**
 * What a worker acts under when it advances a run: the job's recorded authorization
 * (snapshotted on the run at creation), not any human's session.
 */
export function runAuthorization(run: Pick<RunRow, "jobId" | "jobVersion" | "governance">): Record<string, unknown> {
  const g = run.governance;
  return {
    via: "job-governance",
    jobId: run.jobId,
    jobVersion: run.jobVersion,
    authorizedBy: g.authorizedBy ?? null,
    authorizedAt: g.authorizedAt ?? null,
  };
}
