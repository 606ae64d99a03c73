/**
 * THE arbitration policy, as pure functions (no I/O): the claim statement in
 * flightdeck_claim_candidate (drizzle/0030_claim_candidate.sql, called from
 * lib/runtime/claim-order.ts) implements exactly these rules in SQL, and the simulator in
 * ./simulate.ts runs them on a simulated clock for the property tests and the bench.
 *
 * - Cost of a turn: inputTokens × inputWeight + outputTokens × outputWeight (1 and 2 by
 *   default), never less than minTurnCost (a turn that reports no usage still costs that).
 * - Virtual time of a fair-share key: the weighted service it has received, Σ cost / weight.
 *   A turn is charged its ESTIMATED cost when it is claimed (so work in flight counts) and
 *   corrected to its real cost at the checkpoint.
 * - Within the top priority class, the next turn goes to the key with the least virtual
 *   time (ties: key name); within a key, earliest deadline first (none last), then oldest.
 * - A key that becomes active again (it had nothing queued or running) is lifted to one of
 *   its own average turns (avg cost / weight) below the minimum virtual time of the active
 *   keys: idle time banks no more credit than that one turn (VTC's lift, with a sparse key
 *   served first as FQ-CoDel's new flows are; drizzle/0035_returning_key_credit.sql).
 * - Ageing: a runnable run BELOW the top class that has waited ageingMs is served before
 *   the top class, oldest first. Bound: such a run starts within ageingMs plus the time to
 *   serve the aged runs that became runnable before it (newer runs never overtake it).
 */

export interface CostWeights {
  inputWeight: number;
  outputWeight: number;
  /** The cost of a turn that reports no (or tiny) usage. */
  minTurnCost: number;
}

export const defaultCostWeights: CostWeights = { inputWeight: 1, outputWeight: 2, minTurnCost: 100 };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export function turnCost(usage: Usage, weights: CostWeights = defaultCostWeights): number {
  const raw = usage.inputTokens * weights.inputWeight + usage.outputTokens * weights.outputWeight;
  return Math.max(weights.minTurnCost, Number.isFinite(raw) ? raw : weights.minTurnCost);
}

/** The estimate charged at claim: the key's running average of real turn costs. */
export function estimateCost(averageCost: number | null, weights: CostWeights = defaultCostWeights): number {
  return Math.max(weights.minTurnCost, averageCost ?? weights.minTurnCost);
}

/** Exponentially weighted moving average of a key's turn cost (α = 0.2). */
export function nextAverageCost(previous: number | null, actual: number): number {
  return previous === null ? actual : previous * 0.8 + actual * 0.2;
}

/** Virtual-time increment for cost at weight. */
export function charge(cost: number, weight: number): number {
  return cost / Math.max(weight, Number.EPSILON);
}

/**
 * A key returning to activity starts `credit` (one of its own average turns, avg cost / weight;
 * 0 before its first turn) below the least virtual time of the keys still active, unless its own is higher.
 */
export function liftOnReturn(vtime: number, activeMin: number | null, credit = 0): number {
  return activeMin === null ? vtime : Math.max(vtime, activeMin - credit);
}

export interface RunnableRun {
  id: string;
  key: string;
  priority: number;
  /** Epoch ms, or null for none. */
  deadline: number | null;
  createdAt: number;
  /** When it last became runnable (created, or its previous turn ended). */
  runnableSince: number;
}

export interface PickInput {
  now: number;
  runnable: readonly RunnableRun[];
  vtime: (key: string) => number;
  ageingMs: number;
}

/** Which runnable run gets the next turn (undefined when none). */
export function pickNext(input: PickInput): RunnableRun | undefined {
  const { runnable, now } = input;
  if (runnable.length === 0) return undefined;
  let top = -Infinity;
  for (const r of runnable) top = Math.max(top, r.priority);
  let aged: RunnableRun | undefined;
  for (const r of runnable) {
    if (r.priority < top && now - r.runnableSince >= input.ageingMs) {
      if (!aged || r.runnableSince < aged.runnableSince || (r.runnableSince === aged.runnableSince && r.id < aged.id))
        aged = r;
    }
  }
  if (aged) return aged;
  let bestKey: string | undefined;
  let bestV = Infinity;
  for (const r of runnable) {
    if (r.priority !== top) continue;
    const v = input.vtime(r.key);
    if (v < bestV || (v === bestV && bestKey !== undefined && r.key < bestKey)) {
      bestV = v;
      bestKey = r.key;
    }
  }
  let best: RunnableRun | undefined;
  for (const r of runnable) {
    if (r.priority !== top || r.key !== bestKey) continue;
    if (!best || compareWithinKey(r, best) < 0) best = r;
  }
  return best;
}

/** Earliest deadline first (no deadline last), then oldest, then id. */
export function compareWithinKey(a: RunnableRun, b: RunnableRun): number {
  const da = a.deadline ?? Infinity;
  const db = b.deadline ?? Infinity;
  if (da !== db) return da < db ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The documented range of a run's priority (POST /api/runs, POST /api/runs/{id}/priority). */
export const PRIORITY_MIN = -1000;
export const PRIORITY_MAX = 1000;
export const FAIR_SHARE_KEY_MAX = 200;
