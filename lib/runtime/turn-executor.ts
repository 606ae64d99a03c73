import type { Tx } from "@/db/client";
import type { Governance } from "@/lib/governance";

/**
 * What one turn does — one model call plus the tool calls it asks for — sits behind this
 * interface. The runtime core claims the run, builds the context, calls execute(), and
 * checkpoints the result under the run's lease. The agent-turns work provides the real
 * executor (models + tool wrapper); tests of the core use a deterministic one.
 */
export interface TurnContext {
  runId: string;
  jobId: string;
  jobVersion: string;
  /** 0-based index of this turn within the run. */
  turnIndex: number;
  /** Run attempt (incremented when a lease expired and the run was recovered). */
  attempt: number;
  input: unknown;
  /** Conversation so far: the messages of every completed turn, in order. */
  history: unknown[];
  modelEndpoint: string;
  /** Aborted on hard cancel, lease loss or the run's wall-clock deadline. */
  signal: AbortSignal;
  /** Lease token: every write made on behalf of this turn must be fenced by it. */
  leaseToken: string;
  /** Absolute time by which the turn must finish (wall-clock budget). */
  deadline: Date;
  /** The governance snapshotted on the run at creation (already on the claimed row; saves a query per turn). */
  governance?: Governance;
}

export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
}

export type TurnOutcome =
  /** The run wants another turn. */
  | { kind: "continue" }
  /** The run finished successfully with this output. */
  | { kind: "complete"; output: unknown; outcome?: string | null }
  /** The run cannot go on: failed with a reason. */
  | { kind: "fail"; reason: string; message: string }
  /** The run must wait (e.g. a tool call needs approval) before its next turn. */
  | { kind: "wait"; reason: "approval" | "resource" | "signal" | "lock"; waitingFor: string };

export interface TurnResult {
  model: string;
  messagesIn: unknown[];
  messagesOut: unknown[];
  toolCalls: unknown[];
  usage: TurnUsage;
  outcome: TurnOutcome;
  /** Wall-clock milliseconds of the turn's model call, when it made one (kept on the turn row for the metrics). */
  modelMs?: number;
}

export interface TurnExecutor {
  execute(context: TurnContext): Promise<TurnResult>;
  /**
   * Optional: writes that must commit atomically with the turn's checkpoint
   * (e.g. audit events for tool calls), run inside the checkpoint transaction.
   */
  onCheckpoint?(tx: Tx, context: TurnContext, result: TurnResult): Promise<void>;
}
