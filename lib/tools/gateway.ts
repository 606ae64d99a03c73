import "server-only";
import { getEnv } from "@/lib/env";
import { inSpan, markError } from "@/lib/telemetry";
import { errorMessage } from "@/lib/errors";
import { logger } from "@/lib/log";
import { recordLeaseLost, settleCall } from "./call-audit";
import { ToolLeaseLostError } from "./errors";
import { findToolCall, recordFromRow } from "./call-store";
import type { CallIdentity, InvokeScope, ToolCallRecord, ToolCallRequest } from "./call-types";
import { executeCall } from "./execution";
import { waitForSignalInput, waitForSignalTool } from "./builtin/wait-for-signal";
import { identityMismatch, inputHashOf, refuseMismatch } from "./call-identity";
import { invokeSignalWait } from "./signal-wait";
import { toJsonSafe } from "./output";
import { toolRedactor } from "./redactor";
import { getTool } from "./registry";
import { admissionStage } from "./stages/admission";
import { allowlistStage } from "./stages/allowlist";
import { approvalGateStage } from "./stages/approval-gate";
import { dataCategoriesStage } from "./stages/data-categories";
import { inputValidationStage } from "./stages/input-validation";
import { interruptedCallStage } from "./stages/interrupted-call";
import { quotaStage } from "./stages/quota";
import type { GatewayCall, StageStop } from "./stages/stage";

export type { InvokeScope, ToolCallRequest } from "./call-types";

const FINAL = new Set(["succeeded", "failed", "refused"]);

/**
 * THE way a tool runs. In order: stored result (idempotency replay) → the stages
 * (allowlist → governance data categories → input validation → approval gate → quota → admission → interrupted call), each of which
 * proceeds, refuses or parks → the execution tail (claim → execute with timeout → output
 * cap → redaction → record + audit, fenced by the lease; execution.ts). Nothing here throws
 * for a bad call: every refusal or failure is a result the model can read. Only a lost
 * lease (or a failing database) throws.
 */
export async function invokeTool(scope: InvokeScope, request: ToolCallRequest): Promise<ToolCallRecord> {
  // One span per call (OpenTelemetry GenAI conventions), a child of the turn's span. The span
  // name carries only a registered tool's name: the model chooses what it asks for.
  const name = request.toolName.slice(0, 200);
  return inSpan(
    getTool(name) ? `execute_tool ${name}` : "execute_tool",
    {
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": name,
        "gen_ai.tool.type": "function",
        "gen_ai.tool.call.id": request.toolCallId.slice(0, 200),
        "flightdeck.run.id": scope.runId,
        "flightdeck.turn.index": request.turnIndex,
        "flightdeck.tool.call.index": request.callIndex,
      },
    },
    async (span) => {
      const record = await passGateway(scope, request);
      span.setAttribute("flightdeck.tool.outcome", record.outcome);
      span.setAttribute("flightdeck.tool.replayed", record.replayed);
      if (record.outcome === "failed" || record.outcome === "refused") {
        markError(span, record.outcome);
      }
      return record;
    },
  );
}

async function passGateway(scope: InvokeScope, request: ToolCallRequest): Promise<ToolCallRecord> {
  const env = getEnv();
  const maxOutputBytes = scope.maxOutputBytes ?? env.FLIGHTDECK_TOOL_OUTPUT_MAX_BYTES;
  const key = `${scope.runId}:${request.turnIndex}:${request.callIndex}`;
  const id: CallIdentity = {
    key,
    runId: scope.runId,
    turnIndex: request.turnIndex,
    callIndex: request.callIndex,
    toolCallId: request.toolCallId.slice(0, 200),
    tool: request.toolName.slice(0, 200),
    inputHash: inputHashOf(request.input),
  };
  const redactor = toolRedactor();
  const input = redactor.redact(toJsonSafe(request.input));
  const call: GatewayCall = {
    scope,
    request,
    id,
    base: {
      key,
      toolCallId: id.toolCallId,
      tool: id.tool,
      turnIndex: request.turnIndex,
      callIndex: request.callIndex,
      input,
    },
    redactor,
  };

  const stored = await findToolCall(scope.db, key);
  // Replay only the same call: same tool, same input (canonical hash).
  const mismatch = stored ? identityMismatch(stored, id.tool, id.inputHash) : null;
  if (stored && mismatch) return refuseMismatch(scope, call.base, stored, id.inputHash, mismatch);
  if (stored && FINAL.has(stored.status)) return recordFromRow(stored, true);

  const allowed = allowlistStage(call);
  if (allowed.verdict !== "proceed") return stop(call, allowed);
  const tool = allowed.value;
  const governed = dataCategoriesStage(call, tool);
  if (governed.verdict !== "proceed") return stop(call, governed);
  const valid = inputValidationStage(call, tool);
  if (valid.verdict !== "proceed") return stop(call, valid);
  // Signal waits park the run instead of executing (signal-wait.ts).
  if (tool.name === waitForSignalTool.name) {
    return invokeSignalWait(scope, id, call.base, waitForSignalInput.parse(valid.value), (result, extra) =>
      stop(call, { verdict: "refuse", result, ...(extra ? { audit: extra } : {}) }),
    );
  }
  const gate = await approvalGateStage(call, tool);
  if (gate.verdict !== "proceed") return stop(call, gate);
  const approvalId = gate.value?.approvalId;
  // Edit-then-approve: the approver's arguments (validated against the tool's schema when decided) replace the model's.
  const edited = gate.value?.editedInput === undefined ? undefined : tool.input.safeParse(gate.value.editedInput);
  if (edited?.success) call.base = { ...call.base, input: redactor.redact(toJsonSafe(edited.data)) };
  const quota = await quotaStage(call, tool);
  if (quota.verdict !== "proceed") return stop(call, quota);
  const admitted = await admissionStage(call, tool, valid.value);
  if (admitted.verdict !== "proceed") return stop(call, admitted);
  const fresh = interruptedCallStage(call, tool, stored, approvalId);
  if (fresh.verdict !== "proceed") return stop(call, fresh);

  try {
    return await executeCall({
      tool,
      input: edited?.success ? edited.data : valid.value,
      id,
      base: call.base,
      approvalId,
      redactor,
      params: {
        scope,
        turnIndex: request.turnIndex,
        callIndex: request.callIndex,
        callKey: key,
        timeoutMs: tool.timeoutMs ?? scope.toolTimeoutMs ?? env.FLIGHTDECK_TOOL_TIMEOUT_MS,
        maxOutputBytes,
      },
    });
  } catch (error) {
    // The fence rolled the call back whole; a zombie write still leaves a record of the attempt.
    if (error instanceof ToolLeaseLostError) {
      await recordLeaseLost(scope, id, request.input, redactor).catch((cause: unknown) =>
        logger("error", "a fenced tool call could not be recorded", { key, error: errorMessage(cause) }),
      );
    }
    throw error;
  }
}

/** A stage stopped the call: a parked call answers as it is; a refused one is settled first. */
async function stop(call: GatewayCall, decision: StageStop): Promise<ToolCallRecord> {
  if (decision.verdict === "park") return decision.record;
  const record: ToolCallRecord = { ...call.base, ...decision.result, replayed: false };
  await settleCall(call.scope, call.id, record, decision.audit);
  return record;
}
