import "server-only";
import type { Queryable } from "@/db/client";
import { acquireToolCall, chargeRunWrite } from "@/lib/resources/acquire";
import type { ToolDefinition } from "../types";
import { proceed, type GatewayCall, type StageDecision } from "./stage";

export interface ToolQuotaRequest {
  db: Queryable;
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
 * The tool-quota question (lib/resources): the tool's calls-per-minute quota (tool:<name>),
 * then, for a tool that writes the workspace or state, one write against the run's
 * fair-share key's write budget (writes). Both are taken atomically in Postgres.
 */
export async function checkToolQuota(request: ToolQuotaRequest): Promise<ToolQuotaDecision> {
  const call = await acquireToolCall(request.db, request.runId, request.tool);
  if (!call.allowed) return call;
  if (request.sideEffect === "workspace") {
    return chargeRunWrite(request.db, request.runId, request.tool.startsWith("state_") ? "state" : "workspace");
  }
  return { allowed: true };
}

/**
 * Stage 4, quota: parks the call (outcome deferred, waiting for the resource) when the
 * quota says not now; the run is woken when the resource's window refills (lib/resources/wake.ts).
 */
export async function quotaStage(call: GatewayCall, tool: ToolDefinition): Promise<StageDecision<undefined>> {
  const { scope, base } = call;
  const quota = await checkToolQuota({
    db: scope.db,
    runId: scope.runId,
    jobId: scope.jobId,
    tool: tool.name,
    sideEffect: tool.sideEffect,
  });
  if (!quota.allowed) {
    return {
      verdict: "park",
      record: {
        ...base,
        outcome: "deferred",
        waitingFor: quota.resource,
        error: quota.reason,
        durationMs: 0,
        replayed: false,
      },
    };
  }
  return proceed(undefined);
}
