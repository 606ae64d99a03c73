/**
 * A discrete-event simulation of the arbitration policy (./policy.ts) on a simulated
 * clock: `slots` model slots, runs of one turn each arriving over time. Used by the
 * property tests (lib/scheduling/policy.test.ts) and the policy part of bench/fairness.
 */
import {
  charge,
  defaultCostWeights,
  estimateCost,
  liftOnReturn,
  nextAverageCost,
  pickNext,
  turnCost,
  type CostWeights,
  type RunnableRun,
} from "./policy";

export interface SimRun {
  id: string;
  key: string;
  arrival: number;
  priority?: number;
  deadline?: number | null;
  durationMs: number;
  usage: { inputTokens: number; outputTokens: number };
}

export interface SimOptions {
  slots: number;
  weights?: Record<string, number>;
  ageingMs?: number;
  cost?: CostWeights;
  /** Called at every pick with the state (for invariant checks). */
  onPick?: (state: SimPickState) => void;
  /** Count every turn as cost 1 instead of tokens (the per-turn baseline). */
  perTurn?: boolean;
}

export interface SimPickState {
  now: number;
  picked: RunnableRun;
  /** Keys with a runnable run before the pick, and their virtual time. */
  backlogged: Map<string, number>;
  vtime: Map<string, number>;
}

export interface SimResult {
  started: Map<string, number>;
  finished: Map<string, number>;
  /** Real cost served per key (completed turns). */
  service: Map<string, number>;
  busyMs: number;
  endMs: number;
}

export function simulate(runs: readonly SimRun[], options: SimOptions): SimResult {
  const weights = options.cost ?? defaultCostWeights;
  const ageingMs = options.ageingMs ?? 60_000;
  const arrivals = [...runs].sort((a, b) => a.arrival - b.arrival || (a.id < b.id ? -1 : 1));
  const byId = new Map(runs.map((r) => [r.id, r]));
  const vtime = new Map<string, number>();
  const avg = new Map<string, number | null>();
  const activeCount = new Map<string, number>();
  const runnable: RunnableRun[] = [];
  const inflight: { id: string; end: number; estimate: number }[] = [];
  const started = new Map<string, number>();
  const finished = new Map<string, number>();
  const service = new Map<string, number>();
  const weightOf = (key: string) => options.weights?.[key] ?? 1;
  const costOf = (r: SimRun) => (options.perTurn ? 1 : turnCost(r.usage, weights));
  let now = 0;
  let next = 0;
  let busyMs = 0;

  const activate = (key: string) => {
    const count = activeCount.get(key) ?? 0;
    if (count === 0) {
      let min: number | null = null;
      for (const [k, c] of activeCount) if (c > 0 && k !== key) min = Math.min(min ?? Infinity, vtime.get(k) ?? 0);
      vtime.set(key, liftOnReturn(vtime.get(key) ?? 0, min, (avg.get(key) ?? 0) / weightOf(key)));
    }
    activeCount.set(key, count + 1);
  };

  for (;;) {
    for (let r = arrivals[next]; r !== undefined && r.arrival <= now; r = arrivals[next]) {
      next++;
      activate(r.key);
      runnable.push({
        id: r.id,
        key: r.key,
        priority: r.priority ?? 0,
        deadline: r.deadline ?? null,
        createdAt: r.arrival,
        runnableSince: r.arrival,
      });
    }
    for (let i = inflight.length - 1; i >= 0; i--) {
      const t = inflight[i];
      if (!t || t.end > now) continue;
      inflight.splice(i, 1);
      const run = byId.get(t.id);
      if (!run) continue;
      const actual = costOf(run);
      vtime.set(run.key, (vtime.get(run.key) ?? 0) + charge(actual - t.estimate, weightOf(run.key)));
      avg.set(run.key, nextAverageCost(avg.get(run.key) ?? null, actual));
      service.set(run.key, (service.get(run.key) ?? 0) + actual);
      finished.set(run.id, t.end);
      activeCount.set(run.key, (activeCount.get(run.key) ?? 1) - 1);
    }
    while (inflight.length < options.slots && runnable.length > 0) {
      const picked = pickNext({ now, runnable, vtime: (k) => vtime.get(k) ?? 0, ageingMs });
      if (!picked) break;
      if (options.onPick) {
        const backlogged = new Map<string, number>();
        for (const r of runnable) backlogged.set(r.key, vtime.get(r.key) ?? 0);
        options.onPick({ now, picked, backlogged, vtime });
      }
      runnable.splice(runnable.indexOf(picked), 1);
      const run = byId.get(picked.id);
      if (!run) continue;
      const estimate = options.perTurn ? 1 : estimateCost(avg.get(run.key) ?? null, weights);
      vtime.set(run.key, (vtime.get(run.key) ?? 0) + charge(estimate, weightOf(run.key)));
      started.set(run.id, now);
      busyMs += run.durationMs;
      inflight.push({ id: run.id, end: now + run.durationMs, estimate });
    }
    const nextArrival = arrivals[next]?.arrival ?? Infinity;
    const nextEnd = inflight.reduce((m, t) => Math.min(m, t.end), Infinity);
    const upcoming = Math.min(nextArrival, nextEnd);
    if (upcoming === Infinity) break;
    now = Math.max(now, upcoming);
  }
  return { started, finished, service, busyMs, endMs: now };
}
