import "server-only";
import type { Tx } from "@/db/client";
import { appendAuditEvents } from "@/lib/audit";
import type { Redactor } from "@/lib/redaction";
import { runAuthorization } from "@/lib/runtime/actor";
import type { ToolCallRecord } from "./call-result";
import { classifyToolError } from "./classify-error";
import type { InvokeScope } from "./invoke";
import { capOutput, toJsonSafe } from "./output";
import { saveOutcome, type CallIdentity } from "./records";
import { getTool } from "./registry";
import type { RunResult } from "./run-tool";

/** What every record of one call shares, whatever its outcome. */
export type CallBase = Pick<ToolCallRecord, "key" | "toolCallId" | "tool" | "turnIndex" | "callIndex" | "input">;
export type CallResult = Omit<ToolCallRecord, keyof CallBase | "replayed">;
/** A second audit event written before `tool.called` (a policy refusal, invalid input…). */
export interface CallAuditExtra {
  action: string;
  details: Record<string, unknown>;
}

/**
 * Stores a call's final state and audits it, inside the caller's transaction (which has
 * checked the lease). Its audit events go in one insert.
 */
export async function recordCall(tx: Tx, scope: InvokeScope, id: CallIdentity, record: ToolCallRecord, extra?: CallAuditExtra): Promise<void> {
  await saveOutcome(tx, id, {
    status: record.outcome === "deferred" ? "refused" : record.outcome,
    input: record.input,
    output: record.output ?? null,
    error: record.error ?? null,
    approvalId: record.approvalId ?? null,
    durationMs: record.durationMs,
  });
  const audit = auditFrame(scope);
  await appendAuditEvents(tx, [
    ...(extra ? [{ ...audit, action: extra.action, payload: { ...callPayload(record, scope), ...extra.details } }] : []),
    { ...audit, action: "tool.called", payload: callPayload(record, scope) },
  ]);
}

/** An execution as the model, the row and the audit trail see it: output capped and redacted, errors classified. */
export function resultOfRun(
  run: RunResult,
  params: { durationMs: number; approvalId: string | undefined; maxOutputBytes: number; redactor: Redactor },
): { result: CallResult; extra?: CallAuditExtra } {
  const approval = params.approvalId ? { approvalId: params.approvalId } : {};
  if (run.ok) {
    const capped = capOutput(params.redactor.redact(toJsonSafe(run.output)), params.maxOutputBytes);
    return {
      result: { outcome: "succeeded", output: capped.value, durationMs: params.durationMs, ...approval, ...(capped.truncated ? { truncated: true } : {}) },
    };
  }
  const failure = classifyToolError(run.error);
  const result: CallResult = {
    outcome: failure.refused ? "refused" : "failed",
    error: params.redactor.redactString(failure.message),
    durationMs: params.durationMs,
    ...approval,
  };
  return failure.auditAction ? { result, extra: { action: failure.auditAction, details: params.redactor.redact(failure.details) } } : { result };
}

export function auditFrame(scope: InvokeScope) {
  return {
    actor: { kind: "run" as const, id: scope.runId, label: `run ${scope.runId} (${scope.jobId})` },
    subject: { type: "run", id: scope.runId },
    authorization: {
      ...runAuthorization({ jobId: scope.jobId, jobVersion: scope.jobVersion, governance: scope.governance }),
      humanOversight: scope.humanOversight,
    },
  };
}

export function callPayload(record: ToolCallRecord, scope: InvokeScope): Record<string, unknown> {
  const tool = getTool(record.tool);
  return {
    jobId: scope.jobId,
    tool: record.tool,
    callKey: record.key,
    toolCallId: record.toolCallId,
    turnIndex: record.turnIndex,
    callIndex: record.callIndex,
    model: scope.model,
    outcome: record.outcome,
    input: record.input,
    output: record.output ?? null,
    error: record.error ?? null,
    durationMs: record.durationMs,
    ...(tool ? { sideEffect: tool.sideEffect, dataCategories: [...tool.dataCategories] } : {}),
    // Rows the tool wrote commit in the same transaction as this event.
    ...(tool?.writes ? { writes: tool.writes } : {}),
    ...(record.approvalId ? { approvalId: record.approvalId } : {}),
    ...(record.truncated ? { truncated: true } : {}),
  };
}
