import type { RaiseInput } from "../types";

/** N failures in a row. */
export const FAILURE_STREAK = 3;
/** Or at least this share of the last FAILURE_WINDOW finished runs. */
export const FAILURE_RATE = 0.5;
export const FAILURE_WINDOW = 10;

/**
 * Failures detector, when a run fails: `recent` is the job's latest finished runs, newest
 * first (the failed one included). Pure.
 */
export function detectFailures(jobId: string, recent: { id: string; state: string }[]): RaiseInput | null {
  let streak = 0;
  for (const run of recent) {
    if (run.state !== "failed" && run.state !== "timed_out") break;
    streak += 1;
  }
  const window = recent.slice(0, FAILURE_WINDOW);
  const failed = window.filter((r) => r.state === "failed" || r.state === "timed_out").length;
  const rateHit = window.length >= FAILURE_WINDOW && failed / window.length >= FAILURE_RATE;
  if (streak < FAILURE_STREAK && !rateHit) return null;
  const newest = recent[0];
  const why =
    streak >= FAILURE_STREAK
      ? `The last ${streak} runs of ${jobId} failed in a row.`
      : `${failed} of the last ${window.length} runs of ${jobId} failed.`;
  return {
    kind: "failures",
    fingerprint: `failures:${jobId}`,
    severity: streak >= 2 * FAILURE_STREAK || failed === window.length ? "critical" : "warning",
    title: `${jobId} is failing`,
    why: `${why} Look at the latest failure before more runs start.`,
    jobId,
    runId: newest?.id ?? null,
    evidence: [
      { type: "job", id: jobId },
      ...recent.slice(0, FAILURE_STREAK).map((r) => ({ type: "run" as const, id: r.id })),
    ],
    details: {
      streak,
      failed,
      window: window.length,
      runs: recent.slice(0, FAILURE_WINDOW).map((r) => ({ id: r.id, state: r.state })),
    },
  };
}
