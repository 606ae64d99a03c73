import type { RunState } from "@/db/schema/runs";

/** A row of the runs list view (types only, so client components can import them). */
export interface RunListRow {
  id: string;
  title: string | null;
  outcome: string | null;
  jobId: string;
  jobTitle: string;
  state: RunState;
  reason: string | null;
  fairKey: string;
  priority: number;
  owner: string | null;
  risk: string | null;
  turnsUsed: number;
  tokensUsed: number;
  attempt: number;
  pauseRequested: boolean;
  cancelRequested: boolean;
  retried: boolean;
  error: string | null;
  createdAt: string;
  stateSince: string;
  finishedAt: string | null;
}

export interface RunListPage {
  runs: RunListRow[];
  total: number;
  page: number;
  pageSize: number;
}
