/** A run of `npm run proof` started from the cockpit, as the /proof page lists it. */
export type ProofMode = "smoke" | "full";

/**
 * running: the process is alive. passed / failed: its report is written and every test
 * passed / some test failed (a finding about the product). error: it ended without a report
 * (its progress log says why).
 */
export type ProofRunStatus = "running" | "passed" | "failed" | "error";

export interface ProofRunView {
  id: string;
  mode: ProofMode;
  status: ProofRunStatus;
  startedAt: string;
  finishedAt: string | null;
  startedBy: string;
  verdicts: { contention: boolean; isolation: boolean; audit: boolean } | null;
  claims: { passed: number; total: number } | null;
  totalMs: number | null;
  commit: string | null;
}

export interface ProofRunDetail extends ProofRunView {
  /** The last lines the process wrote (its progress), oldest first. */
  progress: string[];
}
