import "server-only";
import type { Db } from "@/db/client";
import { appendAudit } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import { runAuthorization } from "@/lib/runtime/actor";
import type { Workspace } from "@/lib/workspace";
import { approvalSubject, findToolApproval, requestToolApproval } from "./approval-gate";
import { recordFromRow, type ToolCallRecord } from "./call-result";
import { classifyToolError } from "./classify-error";
import { capOutput, toJsonSafe } from "./output";
import { checkToolQuota } from "./quota";
import { assertLease, findToolCall, markStarted, saveOutcome, type CallIdentity } from "./records";
import { toolRedactor } from "./redactor";
import { getTool } from "./registry";
import { runTool } from "./run-tool";
import type { ToolDefinition } from "./types";

/** The run a call belongs to and the policy it is held to (from the run's governance snapshot). */
export interface InvokeScope {
  runId: string;
  jobId: string;
  jobVersion: string;
  governance: Record<string, unknown>;
  allowedTools: readonly string[];
  httpAllowlist: readonly string[];
  humanOversight: string;
  /** Model label for the audit trail (e.g. simulated/triage-ticket). */
  model: string;
  db: Db;
  signal: AbortSignal;
  leaseToken?: string;
  workspace(): Promise<Workspace>;
  toolTimeoutMs?: number;
  maxOutputBytes?: number;
}

export interface ToolCallRequest {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** The SDK could not parse the call (arguments not JSON…). */
  parseError?: string;
  turnIndex: number;
  callIndex: number;
}

const FINAL = new Set(["succeeded", "failed", "refused"]);

/**
 * THE way a tool runs. In order: stored result (idempotency replay) → allowlist → input
 * validation → approval gate → quota → execute with timeout → output cap → redaction →
 * record + audit (one transaction, fenced by the lease). Nothing here throws for a bad
 * call: every refusal or failure is a result the model can read. Only a lost lease throws.
 */
export async function invokeTool(scope: InvokeScope, call: ToolCallRequest): Promise<ToolCallRecord> {
  const env = getEnv();
  const maxOutputBytes = scope.maxOutputBytes ?? env.FLIGHTDECK_TOOL_OUTPUT_MAX_BYTES;
  const key = `${scope.runId}:${call.turnIndex}:${call.callIndex}`;
  const id: CallIdentity = {
    key,
    runId: scope.runId,
    turnIndex: call.turnIndex,
    callIndex: call.callIndex,
    toolCallId: call.toolCallId.slice(0, 200),
    tool: call.toolName.slice(0, 200),
  };
  const redactor = toolRedactor();
  const input = redactor.redact(toJsonSafe(call.input));
  const base = { key, toolCallId: id.toolCallId, tool: id.tool, turnIndex: call.turnIndex, callIndex: call.callIndex, input };

  const stored = await findToolCall(scope.db, key);
  if (stored && FINAL.has(stored.status)) return recordFromRow(stored, true);

  const finish = async (
    record: Omit<ToolCallRecord, keyof typeof base | "replayed">,
    extra?: { action: string; details: Record<string, unknown> },
  ): Promise<ToolCallRecord> => {
    const full: ToolCallRecord = { ...base, ...record, replayed: false };
    await scope.db.transaction(async (tx) => {
      await assertLease(tx, scope.runId, scope.leaseToken);
      await saveOutcome(tx, id, {
        status: full.outcome === "deferred" ? "refused" : full.outcome,
        input,
        output: full.output ?? null,
        error: full.error ?? null,
        approvalId: full.approvalId ?? null,
        durationMs: full.durationMs,
      });
      const audit = auditFrame(scope);
      if (extra) {
        await appendAudit(tx, { ...audit, action: extra.action, payload: { ...callPayload(full, scope), ...extra.details } });
      }
      await appendAudit(tx, { ...audit, action: "tool.called", payload: callPayload(full, scope) });
    });
    return full;
  };

  const refuse = (error: string, action: string | null, details: Record<string, unknown>) =>
    finish({ outcome: "refused", error: redactor.redactString(error), durationMs: 0 }, action ? { action, details } : undefined);

  // 1. Allowlist: the job's declared tools, and only tools that exist.
  const tool: ToolDefinition | undefined = getTool(call.toolName);
  if (!scope.allowedTools.includes(call.toolName) || !tool) {
    const reason = tool ? "not in the job's tool allowlist" : "no such tool";
    return refuse(
      `tool "${id.tool}" is not available to this job (${reason}); available tools: ${scope.allowedTools.join(", ") || "none"}`,
      "tool.policy_violation",
      { reason },
    );
  }

  // 2. Input validation.
  if (call.parseError !== undefined) {
    return refuse(`arguments for "${tool.name}" could not be parsed: ${call.parseError}`, "tool.invalid_input", {
      issues: [{ path: "", message: redactor.redactString(call.parseError) }],
    });
  }
  const parsed = tool.input.safeParse(call.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, code: i.code }));
    const summary = issues.map((i) => `${i.path || "(input)"}: ${i.message}`).join("; ");
    return refuse(`invalid arguments for "${tool.name}": ${summary}`, "tool.invalid_input", { issues });
  }

  // 3. Approval gate: external side effects in jobs whose oversight is approve-tools.
  let approvalId: string | undefined;
  if (tool.sideEffect === "external" && scope.humanOversight === "approve-tools") {
    const subject = approvalSubject(tool.name, key);
    const approval = await findToolApproval(scope.db, scope.runId, subject);
    if (!approval || approval.status === "pending") {
      const parked: ToolCallRecord = { ...base, outcome: "awaiting_approval", durationMs: 0, replayed: false };
      if (approval) return { ...parked, approvalId: approval.id };
      let created = "";
      await scope.db.transaction(async (tx) => {
        await assertLease(tx, scope.runId, scope.leaseToken);
        created = await requestToolApproval(tx, {
          runId: scope.runId,
          subject,
          details: { tool: tool.name, callKey: key, input, sideEffect: tool.sideEffect, dataCategories: [...tool.dataCategories] },
        });
        await saveOutcome(tx, id, { status: "awaiting_approval", input, output: null, error: null, approvalId: created, durationMs: null });
        await appendAudit(tx, {
          ...auditFrame(scope),
          action: "approval.requested",
          subject: { type: "approval", id: created },
          payload: { kind: "tool", runId: scope.runId, ...callPayload({ ...parked, approvalId: created }, scope) },
        });
      });
      return { ...parked, approvalId: created };
    }
    if (approval.status !== "approved") {
      const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
      const note = approval.note ? `: ${approval.note}` : "";
      return finish({ outcome: "refused", approvalId: approval.id, durationMs: 0, error: redactor.redactString(`call ${approval.status}${by}${note}`) });
    }
    approvalId = approval.id;
  }

  // 4. Quota (resource arbitration fills the hook).
  const quota = await checkToolQuota({ runId: scope.runId, jobId: scope.jobId, tool: tool.name, sideEffect: tool.sideEffect });
  if (!quota.allowed) return { ...base, outcome: "deferred", waitingFor: quota.resource, error: quota.reason, durationMs: 0, replayed: false };

  // 5. Idempotency: an external call interrupted mid-flight is never repeated blindly.
  if (stored?.status === "started" && tool.sideEffect === "external") {
    return finish({
      outcome: "failed",
      durationMs: 0,
      ...(approvalId ? { approvalId } : {}),
      error: "an earlier attempt of this call was interrupted; its outcome is unknown, so it was not repeated",
    });
  }
  const claimed = await scope.db.transaction(async (tx) => {
    await assertLease(tx, scope.runId, scope.leaseToken);
    return markStarted(tx, id, input, approvalId ?? null);
  });
  if (!claimed) {
    const again = await findToolCall(scope.db, key);
    if (again) return recordFromRow(again, true);
  }

  // 6. Execute under a timeout; 7. cap; 8. redact.
  const started = performance.now();
  const run = await runTool(tool, parsed.data, {
    scope,
    turnIndex: call.turnIndex,
    callIndex: call.callIndex,
    callKey: key,
    timeoutMs: tool.timeoutMs ?? scope.toolTimeoutMs ?? env.FLIGHTDECK_TOOL_TIMEOUT_MS,
    maxOutputBytes,
  });
  const durationMs = Math.round(performance.now() - started);
  const approval = approvalId ? { approvalId } : {};
  if (run.ok) {
    const capped = capOutput(redactor.redact(toJsonSafe(run.output)), maxOutputBytes);
    return finish({ outcome: "succeeded", output: capped.value, durationMs, ...approval, ...(capped.truncated ? { truncated: true } : {}) });
  }
  const failure = classifyToolError(run.error);
  const error = redactor.redactString(failure.message);
  return finish(
    { outcome: failure.refused ? "refused" : "failed", error, durationMs, ...approval },
    failure.auditAction ? { action: failure.auditAction, details: redactor.redact(failure.details) } : undefined,
  );
}

function auditFrame(scope: InvokeScope) {
  return {
    actor: { kind: "run" as const, id: scope.runId, label: `run ${scope.runId} (${scope.jobId})` },
    subject: { type: "run", id: scope.runId },
    authorization: {
      ...runAuthorization({ jobId: scope.jobId, jobVersion: scope.jobVersion, governance: scope.governance }),
      humanOversight: scope.humanOversight,
    },
  };
}

function callPayload(record: ToolCallRecord, scope: InvokeScope): Record<string, unknown> {
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
    ...(record.approvalId ? { approvalId: record.approvalId } : {}),
    ...(record.truncated ? { truncated: true } : {}),
  };
}
