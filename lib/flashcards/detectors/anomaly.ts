import type { RaiseInput } from "../types";

/** A turn is anomalous when its tokens exceed this multiple of the job's moving average… */
export const ANOMALY_FACTOR = 5;
/** …once the average has seen this many turns… */
export const ANOMALY_MIN_SAMPLES = 10;
/** …and the turn is big enough to matter. */
export const ANOMALY_MIN_TOKENS = 1_000;
const ALPHA = 0.1;

/**
 * Per-job exponential moving average of tokens per turn, kept in the process (no query
 * per turn). A worker that restarts learns the norm again from its next turns; several
 * workers each learn it from the turns they run.
 */
export class TokenNorms {
  private readonly norms = new Map<string, { mean: number; samples: number }>();

  /** Records a turn and answers a card when it is far above the job's usual. */
  observe(turn: { runId: string; jobId: string; turnIndex: number; tokens: number }): RaiseInput | null {
    const norm = this.norms.get(turn.jobId) ?? { mean: turn.tokens, samples: 0 };
    const mean = norm.mean;
    const anomalous =
      norm.samples >= ANOMALY_MIN_SAMPLES && turn.tokens >= ANOMALY_MIN_TOKENS && turn.tokens > ANOMALY_FACTOR * mean;
    // An outlier does not teach the norm, so a burst of them keeps being flagged.
    if (!anomalous)
      this.norms.set(turn.jobId, {
        mean: norm.samples === 0 ? turn.tokens : mean + ALPHA * (turn.tokens - mean),
        samples: norm.samples + 1,
      });
    if (!anomalous) return null;
    const ratio = turn.tokens / Math.max(mean, 1);
    return {
      kind: "anomaly",
      fingerprint: `anomaly:${turn.jobId}:turn_tokens`,
      severity: ratio >= 2 * ANOMALY_FACTOR ? "critical" : "warning",
      title: `A ${turn.jobId} turn used ${ratio.toFixed(1)}× the job's usual tokens`,
      why: `Turn ${turn.turnIndex} used ${turn.tokens} tokens; this job's turns average ${Math.round(mean)}. A prompt injection, a loop or a huge tool output can cause this.`,
      runId: turn.runId,
      jobId: turn.jobId,
      evidence: [
        { type: "run", id: turn.runId },
        { type: "turn", id: `${turn.runId}:${turn.turnIndex}`, label: `turn ${turn.turnIndex}` },
      ],
      details: {
        tokens: turn.tokens,
        usualTokens: Math.round(mean),
        ratio: Number(ratio.toFixed(2)),
        turnIndex: turn.turnIndex,
      },
    };
  }
}
