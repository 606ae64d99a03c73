import "server-only";
import type { Db } from "@/db/client";
import { appendAudit } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import type { Workspace } from "@/lib/workspace";
import { approvalSubject, findToolApproval, requestToolApproval } from "./approval-gate";
import { recordFromRow, type ToolCallRecord } from "./call-result";
import { identityMismatch, inputHashOf, refuseMismatch } from "./call-identity";
import { waitForSignalInput, waitForSignalTool } from "./builtin/wait-for-signal";
import { invokeSignalWait } from "./signal-wait";
import { invokeDatabaseTool } from "./database-call";
import { toJsonSafe } from "./output";
import { checkToolQuota } from "./quota";
import { auditFrame, callPayload, recordCall, resultOfRun, type CallAuditExtra, type CallBase, type CallResult } from "./record-call";
import { assertLease, findToolCall, markStarted, saveOutcome, type CallIdentity } from "./records";
import { toolRedactor } from "./redactor";
import { getTool } from "./registry";
import { runTool, type RunParams } from "./run-tool";
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
 * record + audit (one transaction, fenced by the lease). A tool that writes rows
 * (`writes: "database"`) executes inside that same transaction, so its rows, the result
 * and the audit event commit together (database-call.ts). Nothing here throws for a bad
 * call: every refusal or failure is a result the model can read. Only a lost lease (or a
 * failing database) throws.
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
    inputHash: inputHashOf(call.input),
  };
  const redactor = toolRedactor();
  const input = redactor.redact(toJsonSafe(call.input));
  const base: CallBase = { key, toolCallId: id.toolCallId, tool: id.tool, turnIndex: call.turnIndex, callIndex: call.callIndex, input };

  const stored = await findToolCall(scope.db, key);
  // Replay only the same call: same tool, same input (canonical hash).
  const mismatch = stored ? identityMismatch(stored, id.tool, id.inputHash) : null;
  if (stored && mismatch) return refuseMismatch(scope, base, stored, id.inputHash, mismatch);
  if (stored && FINAL.has(stored.status)) return recordFromRow(stored, true);

  const finish = async (record: CallResult, extra?: CallAuditExtra): Promise<ToolCallRecord> => {
    const full: ToolCallRecord = { ...base, ...record, replayed: false };
    await scope.db.transaction(async (tx) => {
      await assertLease(tx, scope.runId, scope.leaseToken);
      await recordCall(tx, scope, id, full, extra);
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

  // Signal waits park the run instead of executing (signal-wait.ts).
  if (tool.name === waitForSignalTool.name) {
    return invokeSignalWait(scope, id, base, waitForSignalInput.parse(parsed.data), finish);
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
  // (A database tool never leaves a committed "started" row: its claim commits with its result.)
  if (stored?.status === "started" && tool.sideEffect === "external") {
    return finish({
      outcome: "failed",
      durationMs: 0,
      ...(approvalId ? { approvalId } : {}),
      error: "an earlier attempt of this call was interrupted; its outcome is unknown, so it was not repeated",
    });
  }
  const params: RunParams = {
    scope,
    turnIndex: call.turnIndex,
    callIndex: call.callIndex,
    callKey: key,
    timeoutMs: tool.timeoutMs ?? scope.toolTimeoutMs ?? env.FLIGHTDECK_TOOL_TIMEOUT_MS,
    maxOutputBytes,
  };
  if (tool.writes === "database") {
    return invokeDatabaseTool({ tool, input: parsed.data, id, base, approvalId, redactor, params });
  }
  const claimed = await scope.db.transaction(async (tx) => {
    await assertLease(tx, scope.runId, scope.leaseToken);
    return markStarted(tx, id, input, approvalId ?? null);
  });
  if (!claimed) {
    const again = await findToolCall(scope.db, key);
    if (again) return recordFromRow(again, true);
  }

  // 6. Execute under a timeout; 7. cap; 8. redact; 9. record + audit.
  const started = performance.now();
  const run = await runTool(tool, parsed.data, params);
  const durationMs = Math.round(performance.now() - started);
  const { result, extra } = resultOfRun(run, { durationMs, approvalId, maxOutputBytes, redactor });
  return finish(result, extra);
}
