import "server-only";
import type { ToolCallRow } from "./records";

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

/** The tool-result part the model sees for a finished call. */
export type ModelToolOutput =
  | { type: "json"; value: unknown }
  | { type: "text"; value: string }
  | { type: "error-text"; value: string };

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

export function recordFromRow(row: ToolCallRow, replayed: boolean): ToolCallRecord {
  const outcome: InvokeOutcome =
    row.status === "started" ? "failed" : row.status;
  return {
    key: row.key,
    toolCallId: row.toolCallId,
    tool: row.tool,
    turnIndex: row.turnIndex,
    callIndex: row.callIndex,
    outcome,
    input: row.input,
    ...(row.output !== null ? { output: row.output } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.approvalId !== null ? { approvalId: row.approvalId } : {}),
    durationMs: row.durationMs ?? 0,
    replayed,
  };
}
