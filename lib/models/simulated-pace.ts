import "server-only";

/**
 * The demo's pacing of the simulated model: each call takes a few seconds, like a real
 * provider, and now and then fails as one would. Off unless the composition root turns it
 * on (server/boot.ts, for the embedded demo only): tests, benches, Postgres deployments and
 * an install without demo data get instant, deterministic answers.
 */
export interface SimulatedPace {
  /** A call takes between these many milliseconds (uniformly drawn). */
  minMs: number;
  maxMs: number;
  /** Share of calls that fail with a provider error (0..1). */
  failureRate: number;
  random?: () => number;
}

let pace: SimulatedPace | null = null;

export function setSimulatedPace(next: SimulatedPace | null): void {
  pace = next;
}

export function simulatedPace(): SimulatedPace | null {
  return pace;
}

/** Thrown by a paced call that "fails at the provider": not retryable, so the run fails and shows it. */
export class SimulatedProviderError extends Error {
  constructor() {
    super(
      "Simulated provider error: the paced demo model fails a small share of calls, as real providers sometimes do",
    );
    this.name = "SimulatedProviderError";
  }
}

/** Waits out the paced latency (abortable), then fails the call at the configured rate. */
export async function paceSimulatedCall(signal: AbortSignal | undefined): Promise<void> {
  const current = pace;
  if (!current) return;
  const random = current.random ?? Math.random;
  const ms = current.minMs + random() * Math.max(0, current.maxMs - current.minMs);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    }
    if (signal?.aborted) return aborted();
    signal?.addEventListener("abort", aborted, { once: true });
  });
  if (random() < current.failureRate) throw new SimulatedProviderError();
}
