/**
 * How big each test is. The full sizes are the (a 5,000-turn burst); smoke keeps every
 * mechanism but shrinks the counts so CI runs it in well under a minute.
 */
export interface ProofSizes {
  /** Model slots of the contended endpoint. */
  slots: number;
  /** How long the contended (simulated) model takes to answer one call. */
  modelMs: number;
  /** The burst tenant's single-turn runs, all enqueued at once. */
  burstTurns: number;
  /** The weighted tenant kept backlogged next to the burst (single-turn runs). */
  weightedTurns: number;
  /** The trickle tenant: one run every trickleEveryMs. */
  trickleRuns: number;
  trickleEveryMs: number;
  /** Runs of the tenant that asks for more tool calls and writes than its per-key allowance. */
  greedyRuns: number;
  /** Runs of the tenant that stays within its allowance of the same tool and budget. */
  modestRuns: number;
  /** Per-key calls per minute of the quota'd tool, and writes per minute of the write budget. */
  toolCallsPerMinute: number;
  writesPerMinute: number;
  /** Ageing of lower priority classes (FLIGHTDECK_SCHEDULING_AGEING_MS) during the proof. */
  ageingMs: number;
  /** The deadline run's deadline (scheduling.deadlineMs). */
  deadlineMs: number;
  /** Concurrent hostile runs in the isolation test (each tries the whole catalogue). */
  hostileRuns: number;
  /**
   * The steady phase after the burst: single-turn runs per key of two weighted keys, all backlogged, with
   * model calls of steadyModelMs (bench/fairness's turn length, where PERFORMANCE.md states the utilisation target).
   */
  steadyRunsPerKey: number;
  steadyModelMs: number;
}

export const FULL_SIZES: ProofSizes = {
  slots: 4,
  modelMs: 5,
  burstTurns: 5_000,
  weightedTurns: 500,
  // 100 waits, so the p99 is the 2nd largest rather than the largest (of 40 before); 4 runs/s stays well inside
  // the tenant's fair share while the burst drains (at 10/s it was not, on PGlite: docs/PROOF.md).
  trickleRuns: 100,
  trickleEveryMs: 250,
  greedyRuns: 45,
  modestRuns: 8,
  toolCallsPerMinute: 20,
  writesPerMinute: 20,
  ageingMs: 10_000,
  deadlineMs: 30_000,
  hostileRuns: 3,
  steadyRunsPerKey: 60,
  steadyModelMs: 400,
};

export const SMOKE_SIZES: ProofSizes = {
  ...FULL_SIZES,
  burstTurns: 200,
  weightedTurns: 80,
  trickleRuns: 10,
  trickleEveryMs: 300,
  greedyRuns: 45,
  modestRuns: 4,
  ageingMs: 3_000,
  deadlineMs: 15_000,
  hostileRuns: 2,
  steadyRunsPerKey: 16,
};
