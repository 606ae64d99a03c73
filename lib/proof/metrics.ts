/**
 * Wait and share measures shared by bench/fairness and npm run proof's contention test:
 * percentiles, per-key waits, shares against weights, Jain's index, slot utilisation.
 */

/** One served turn (or job): when it was enqueued, started and finished (ms, one clock per system). */
export interface Served {
  key: string;
  enqueuedAt: number;
  startedAt: number;
  finishedAt: number;
  tokens: number;
}

export function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export function waits(served: Served[], key: string): number[] {
  return served.filter((s) => s.key === key).map((s) => Math.max(0, s.startedAt - s.enqueuedAt));
}

/** cost = input + 2 × output, at least 100 (Flightdeck's default charge). */
export const costOf = (tokensIn: number, tokensOut: number) => Math.max(100, tokensIn + 2 * tokensOut);

export interface ShareReport {
  turns: Record<string, number>;
  tokens: Record<string, number>;
  /** Share of service (the chosen basis) per key. */
  share: Record<string, number>;
  /** Jain's fairness index over service / weight (1 = perfectly weighted-fair). */
  jain: number;
  /** max over keys of |share − entitled| / entitled. */
  shareError: number;
  /** Busy slot time / (slots × window). */
  utilisation: number;
}

/**
 * Over the first `windowTurns` turns started (a window in which every key is backlogged):
 * per-key turns and tokens, service share against the weights, Jain's index, utilisation.
 */
export function shares(
  served: Served[],
  weights: Record<string, number>,
  windowTurns: number,
  slots: number,
  basis: "tokens" | "turns",
  keyOf: (key: string) => string = (k) => k,
): ShareReport {
  const window = [...served].sort((a, b) => a.startedAt - b.startedAt).slice(0, windowTurns);
  const turns: Record<string, number> = {};
  const tokens: Record<string, number> = {};
  for (const s of window) {
    const k = keyOf(s.key);
    turns[k] = (turns[k] ?? 0) + 1;
    tokens[k] = (tokens[k] ?? 0) + s.tokens;
  }
  const basisOf = (k: string) => (basis === "tokens" ? (tokens[k] ?? 0) : (turns[k] ?? 0));
  const keys = Object.keys(weights);
  const total = keys.reduce((sum, k) => sum + basisOf(k), 0) || 1;
  const totalWeight = keys.reduce((sum, k) => sum + (weights[k] ?? 1), 0);
  const share: Record<string, number> = {};
  let shareError = 0;
  for (const k of keys) {
    share[k] = basisOf(k) / total;
    const entitled = (weights[k] ?? 1) / totalWeight;
    shareError = Math.max(shareError, Math.abs((share[k] ?? 0) - entitled) / entitled);
  }
  const x = keys.map((k) => basisOf(k) / (weights[k] ?? 1));
  const jain = x.reduce((a, b) => a + b, 0) ** 2 / (x.length * x.reduce((a, b) => a + b * b, 0) || 1);
  const t0 = window[0]?.startedAt ?? 0;
  const t1 = window[window.length - 1]?.startedAt ?? t0;
  let busy = 0;
  for (const s of served) busy += Math.max(0, Math.min(s.finishedAt, t1) - Math.max(s.startedAt, t0));
  const utilisation = t1 > t0 ? busy / (slots * (t1 - t0)) : NaN;
  return { turns, tokens, share, jain, shareError, utilisation };
}
