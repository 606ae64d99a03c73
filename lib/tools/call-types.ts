import "server-only";
import type { Db } from "@/db/client";
import type { Governance } from "@/lib/governance";
import type { Workspace } from "@/lib/workspace";

/**
 * The bottom of the tool gateway: what a call is, whom it belongs to and what it produced.
 * Everything else in lib/tools builds on these types; this module imports nothing of lib/tools.
 */

/** The run a call belongs to and the policy it is held to (from the run's governance snapshot). */
export interface InvokeScope {
  runId: string;
  jobId: string;
  jobVersion: string;
  governance: Governance;
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

/** One tool call as the model asked for it. */
export interface ToolCallRequest {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** The SDK could not parse the call (arguments not JSON…). */
  parseError?: string;
  turnIndex: number;
  callIndex: number;
}

/** The key and coordinates of a call's row in tool_calls. */
export interface CallIdentity {
  key: string;
  runId: string;
  turnIndex: number;
  callIndex: number;
  toolCallId: string;
  tool: string;
  /** SHA-256 of the canonical input (call-identity.ts): with the key and the tool, the call's identity. */
  inputHash: string;
}

export type InvokeOutcome =
  | "succeeded"
  | "failed"
  | "refused"
  /** Parked: the turn ends waiting for a lead's decision; the call runs on a later turn. */
  | "awaiting_approval"
  /** Held back by a quota: the turn ends waiting for the resource; the call runs later. */
  | "deferred"
  /** wait_for_signal: the turn ends waiting for the signal (waitingFor = its name); resolved on a later turn. */
  | "awaiting_signal";

/** What one call produced, as recorded in the turn (TurnResult.toolCalls) — redacted. */
export interface ToolCallRecord {
  key: string;
  toolCallId: string;
  tool: string;
  turnIndex: number;
  callIndex: number;
  outcome: InvokeOutcome;
  input: unknown;
  output?: unknown;
  error?: string;
  approvalId?: string;
  /** For deferred calls: the resource waited for. */
  waitingFor?: string;
  durationMs: number;
  truncated?: boolean;
  /** True when the stored result of an earlier attempt was returned instead of executing. */
  replayed: boolean;
}

/** What every record of one call shares, whatever its outcome. */
export type CallBase = Pick<ToolCallRecord, "key" | "toolCallId" | "tool" | "turnIndex" | "callIndex" | "input">;
/** A record minus what CallBase carries: what a stage or an execution decides. */
export type CallResult = Omit<ToolCallRecord, keyof CallBase | "replayed">;
/** A second audit event written before `tool.called` (a policy refusal, invalid input…). */
export interface CallAuditExtra {
  action: string;
  details: Record<string, unknown>;
}

/** What a tool's execute() came back with: its output, or what it threw. */
export type ExecutionResult = { ok: true; output: unknown } | { ok: false; error: unknown };

/** The tool-result part the model sees for a finished call. */
export type ModelToolOutput =
  { type: "json"; value: unknown } | { type: "text"; value: string } | { type: "error-text"; value: string };

export function isFinished(record: ToolCallRecord): boolean {
  return record.outcome === "succeeded" || record.outcome === "failed" || record.outcome === "refused";
}

export function modelOutputOf(record: ToolCallRecord): ModelToolOutput {
  if (record.outcome === "succeeded") {
    const value = record.output;
    if (typeof value === "string") return { type: "text", value };
    return { type: "json", value: value ?? null };
  }
  const prefix = record.outcome === "refused" ? "Refused" : "Error";
  return { type: "error-text", value: `${prefix}: ${record.error ?? "unknown error"}` };
}
