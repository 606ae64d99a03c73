import type { RunState } from "@/db/schema/runs";

/**
 * What the board sends to the browser: the types only (no server code), so client
 * components can import them. Kept small on purpose — 5,000 of these travel at once.
 */
export type BoardRisk = "minimal" | "limited" | "high";

export interface BoardRun {
  id: string;
  jobId: string;
  /** What the run is about, from its input (the job's `run.title`); null: the job title stands in. */
  title: string | null;
  /** A succeeded run's outcome mark ("Reply sent"), from its output (the job's `run.outcome`). */
  outcome: string | null;
  state: RunState;
  /** state_reason: wait reason, "budget", "operator", "resource:<endpoint>"… */
  reason: string | null;
  waitingFor: string | null;
  /** Fair-share key and priority class (lib/scheduling). */
  fairKey: string;
  priority: number;
  risk: BoardRisk | null;
  owner: string | null;
  turnsUsed: number;
  budgetTurns: number;
  tokensUsed: number;
  budgetTokens: number;
  attempt: number;
  pauseRequested: boolean;
  cancelRequested: boolean;
  retryOf: string | null;
  /** A later run retries this one: a failed run that was retried no longer needs attention. */
  retried: boolean;
  /** Approvals of this run that a person (or the expiry default) rejected: shown so a run is not plain "Succeeded". */
  rejectedActions: number;
  /** First line of the error, for failed runs. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
  /** When the run entered its current state. */
  stateSince: string;
  finishedAt: string | null;
}

export interface BoardJob {
  id: string;
  title: string;
  owner: string | null;
  risk: BoardRisk | null;
}

export interface BoardSnapshot {
  kind: "snapshot";
  /** Pass back as `since` to get what changed after this answer. */
  cursor: string;
  runs: BoardRun[];
  jobs: BoardJob[];
  /** Some active runs were left out (more than the board's cap). */
  truncated: boolean;
}

export interface BoardDelta {
  kind: "delta";
  cursor: string;
  /** Runs whose row changed since the cursor (with some overlap; merge by updatedAt). */
  runs: BoardRun[];
}

export type BoardResponse = BoardSnapshot | BoardDelta;
