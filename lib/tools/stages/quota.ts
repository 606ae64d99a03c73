import "server-only";
import type { Queryable } from "@/db/client";
import { acquireToolCall, chargeRunWrite, type WriteKind } from "@/lib/resources/acquire";
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

/** Taking or releasing a lock changes no data, so it is not charged as a write. */
const NOT_WRITES = new Set(["memory_lock", "memory_unlock"]);

/** Which write budget a call is charged to, or null when the call writes nothing. */
export function writeKindOf(tool: string, sideEffect: string): WriteKind | null {
  if (sideEffect !== "workspace" || NOT_WRITES.has(tool)) return null;
  if (tool === "memory_write") return "memory";
  return tool.startsWith("state_") ? "state" : "workspace";
}

/**
 * The tool-quota question (lib/resources): the tool's calls-per-minute quota (tool:<name>),
 * then, for a tool that writes the workspace, state or shared memory, one write against the
 * run's fair-share key's write budget (writes). Both are taken atomically in Postgres, before
 * the tool body runs, so a refused write has written nothing.
 */
export async function checkToolQuota(request: ToolQuotaRequest): Promise<ToolQuotaDecision> {
  const call = await acquireToolCall(request.db, request.runId, request.tool);
  if (!call.allowed) return call;
  const kind = writeKindOf(request.tool, request.sideEffect);
  return kind ? chargeRunWrite(request.db, request.runId, kind) : { allowed: true };
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
