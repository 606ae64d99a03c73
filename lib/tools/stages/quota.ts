import "server-only";
import type { ToolDefinition } from "../types";
import { proceed, type GatewayCall, type StageDecision } from "./stage";

export interface ToolQuotaRequest {
  runId: string;
  jobId: string;
  tool: string;
  sideEffect: string;
}

export type ToolQuotaDecision =
  | { allowed: true }
  /** The call waits: the turn ends with outcome wait/resource and the call runs on a later turn. */
  | { allowed: false; resource: string; reason: string };

/**
 * The tool-quota question. NOT IMPLEMENTED YET: no quota exists, so every call is allowed.
 * Resource arbitration (calls per minute per tool, acquired in Postgres) fills this in;
 * the stage below already parks a call when it answers "not now".
 */
export async function checkToolQuota(request: ToolQuotaRequest): Promise<ToolQuotaDecision> {
  void request;
  return { allowed: true };
}

/**
 * Stage 4, quota: parks the call (outcome deferred, waiting for the resource) when the
 * quota says not now. Today it always proceeds, because checkToolQuota always allows.
 */
export async function quotaStage(call: GatewayCall, tool: ToolDefinition): Promise<StageDecision<undefined>> {
  const { scope, base } = call;
  const quota = await checkToolQuota({ runId: scope.runId, jobId: scope.jobId, tool: tool.name, sideEffect: tool.sideEffect });
  if (!quota.allowed) {
    return { verdict: "park", record: { ...base, outcome: "deferred", waitingFor: quota.resource, error: quota.reason, durationMs: 0, replayed: false } };
  }
  return proceed(undefined);
}
