import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { approvals, runs, toolCalls } from "@/db/schema";
import type { WriteProvenance } from "./store";

/**
 * The provenance of a write made by a run's tool call: the run (actor), its job version,
 * the turn and call, and the authority it ran under — the job's recorded authorization
 * (snapshotted on the run) plus, when a lead approved this very call, who approved it.
 */
export async function runWriteProvenance(
  tx: Tx,
  call: { runId: string; jobId: string; turnIndex: number; callIndex: number; callKey: string },
): Promise<WriteProvenance> {
  const [run] = await tx
    .select({ jobVersion: runs.jobVersion, governance: runs.governance })
    .from(runs)
    .where(eq(runs.id, call.runId));
  const [approval] = await tx
    .select({ id: approvals.id, status: approvals.status, by: approvals.decidedByLabel, at: approvals.decidedAt })
    .from(toolCalls)
    .innerJoin(approvals, eq(approvals.id, toolCalls.approvalId))
    .where(eq(toolCalls.key, call.callKey));
  const g = run?.governance;
  return {
    kind: "write",
    runId: call.runId,
    jobId: call.jobId,
    jobVersion: run?.jobVersion ?? null,
    turnIndex: call.turnIndex,
    callIndex: call.callIndex,
    toolCallKey: call.callKey,
    actor: { kind: "run", id: call.runId, label: `run ${call.runId} (${call.jobId})` },
    authorization: {
      via: "job-governance",
      jobId: call.jobId,
      jobVersion: run?.jobVersion ?? null,
      authorizedBy: g?.authorizedBy ?? null,
      authorizedAt: g?.authorizedAt ?? null,
      humanOversight: g?.humanOversight ?? null,
      ...(approval
        ? {
            approval: {
              id: approval.id,
              status: approval.status,
              decidedBy: approval.by,
              decidedAt: approval.at?.toISOString() ?? null,
            },
          }
        : {}),
    },
  };
}
