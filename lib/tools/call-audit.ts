import "server-only";
import type { Tx } from "@/db/client";
import { appendAuditEvents, runActor, runAuthorization } from "@/lib/audit";
import { flagRefusal } from "@/lib/flashcards/hooks";
import type { Redactor } from "@/lib/redaction";
import { assertLease, saveOutcome } from "./call-store";
import type {
  CallAuditExtra,
  CallIdentity,
  CallResult,
  ExecutionResult,
  InvokeScope,
  ToolCallRecord,
} from "./call-types";
import { classifyToolError } from "./errors";
import { capOutput, toJsonSafe } from "./output";
import { getTool } from "./registry";

/**
 * Settles a call outside any open transaction: one transaction that checks the lease, then
 * stores the final state and its audit events (refusals, and plain tools after execute()).
 */
export async function settleCall(
  scope: InvokeScope,
  id: CallIdentity,
  record: ToolCallRecord,
  extra?: CallAuditExtra,
): Promise<void> {
  await scope.db.transaction(async (tx) => {
    await assertLease(tx, scope.runId, scope.leaseToken);
    await recordCall(tx, scope, id, record, extra);
  });
}

/**
 * Stores a call's final state and audits it, inside the caller's transaction (which has
 * checked the lease). Its audit events go in one insert.
 */
export async function recordCall(
  tx: Tx,
  scope: InvokeScope,
  id: CallIdentity,
  record: ToolCallRecord,
  extra?: CallAuditExtra,
): Promise<void> {
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
    ...(extra
      ? [{ ...audit, action: extra.action, payload: { ...callPayload(record, scope), ...extra.details } }]
      : []),
    { ...audit, action: "tool.called", payload: callPayload(record, scope) },
  ]);
  if (extra && record.outcome === "refused") {
    // A refusal is also a policy flashcard for the lead (deduplicated by job, tool and kind).
    const refusal = {
      action: extra.action,
      runId: scope.runId,
      jobId: scope.jobId,
      tool: record.tool,
      callKey: record.key,
      error: record.error,
      input: record.input,
    };
    await flagRefusal(tx, refusal);
  }
}

/** An execution as the model, the row and the audit trail see it: output capped and redacted, errors classified. */
export function resultOfExecution(
  execution: ExecutionResult,
  params: { durationMs: number; approvalId: string | undefined; maxOutputBytes: number; redactor: Redactor },
): { result: CallResult; extra?: CallAuditExtra } {
  const approval = params.approvalId ? { approvalId: params.approvalId } : {};
  if (execution.ok) {
    const capped = capOutput(params.redactor.redact(toJsonSafe(execution.output)), params.maxOutputBytes);
    return {
      result: {
        outcome: "succeeded",
        output: capped.value,
        durationMs: params.durationMs,
        ...approval,
        ...(capped.truncated ? { truncated: true } : {}),
      },
    };
  }
  const failure = classifyToolError(execution.error);
  const result: CallResult = {
    outcome: failure.refused ? "refused" : "failed",
    error: params.redactor.redactString(failure.message),
    durationMs: params.durationMs,
    ...approval,
  };
  return failure.auditAction
    ? { result, extra: { action: failure.auditAction, details: params.redactor.redact(failure.details) } }
    : { result };
}

/** Who acts in a tool call's events (the run) and under what (the job's recorded authorization). */
export function auditFrame(scope: InvokeScope) {
  return {
    actor: runActor(scope),
    subject: { type: "run", id: scope.runId },
    authorization: { ...runAuthorization(scope), humanOversight: scope.humanOversight },
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

/**
 * A call the lease fence refused: its own transaction rolled back with everything it would
 * have written, so what is left to say is said in a new one — a `tool.lease_lost` event
 * (which worker's lease, which call) and a policy flashcard, since a zombie worker writing
 * for a run it no longer holds is something a person should know happened. The input is
 * redacted as every stored input is; nothing of the call's effect is recorded as done.
 */
export async function recordLeaseLost(
  scope: InvokeScope,
  id: CallIdentity,
  input: unknown,
  redactor: Redactor,
): Promise<void> {
  const safeInput = redactor.redact(toJsonSafe(input));
  const error = "refused: this worker no longer holds the run's lease (another worker took the run over)";
  await scope.db.transaction(async (tx) => {
    await appendAuditEvents(tx, [
      {
        ...auditFrame(scope),
        action: "tool.lease_lost",
        payload: {
          jobId: scope.jobId,
          tool: id.tool,
          callKey: id.key,
          toolCallId: id.toolCallId,
          turnIndex: id.turnIndex,
          callIndex: id.callIndex,
          input: safeInput,
          error,
        },
      },
    ]);
    await flagRefusal(tx, {
      action: "tool.lease_lost",
      runId: scope.runId,
      jobId: scope.jobId,
      tool: id.tool,
      callKey: id.key,
      error,
      input: safeInput,
    });
  });
}
