import type { RunState } from "@/db/schema/runs";
import type { ColumnId } from "@/lib/board-columns";

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

export type { ColumnId };

/** The board's filters (the URL's ?job, owner, risk, state), applied on the server to windows and counts. */
export interface BoardFilters {
  job?: string;
  owner?: string;
  risk?: BoardRisk;
  state?: RunState;
}

/** One column's extent: how many runs it holds under the filters, and where its next page starts. */
export interface ColumnWindow {
  /** Runs in the column under the filters (loaded or not). */
  total: number;
  /** Opaque: pass to GET /api/board/columns/{column}?after= for the next page; null when all are loaded. */
  next: string | null;
}

export type ColumnWindows = Record<ColumnId, ColumnWindow>;

export interface BoardSnapshot {
  kind: "snapshot";
  /** Pass back as `since` to get what changed after this answer. */
  cursor: string;
  /** The first page of every column (its window), in column order. */
  runs: BoardRun[];
  jobs: BoardJob[];
  columns: ColumnWindows;
  /** Every run on the board, unfiltered (the filter bar's "of N"). */
  onBoard: number;
  /** Some column holds more runs than were sent (its `next` is set). */
  truncated: boolean;
}

export interface BoardDelta {
  kind: "delta";
  cursor: string;
  /** Runs whose row changed since the cursor (with some overlap; merge by updatedAt). */
  runs: BoardRun[];
  /** Fresh column totals when anything changed (the windows' `next` cursors stay the client's). */
  totals?: Record<ColumnId, number>;
  onBoard?: number;
}

/** The next page of one column. */
export interface BoardPage {
  kind: "page";
  column: ColumnId;
  runs: BoardRun[];
  next: string | null;
}

export type BoardResponse = BoardSnapshot | BoardDelta;
