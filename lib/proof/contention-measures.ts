import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { atLeast, atMost, auditLink, claim, formatNumber, type Claim } from "./claims";
import { PROOF_TOOL } from "./names";
import { fifoReplay } from "./fifo-replay";
import { pct } from "./metrics";
import {
  ALONE_KEY,
  STEADY_WEIGHTS,
  TENANTS,
  WEIGHTS,
  type ContentionRecord,
  type TurnRow,
} from "./scenario-contention";
import type { ProofSizes } from "./sizes";
import { THRESHOLDS } from "./thresholds";

/** Test 1's figures, derived from the turns the runtime recorded (and the quota windows it kept). */
export interface WaitStats {
  key: string;
  weight: number;
  turns: number;
  p50: number;
  p99: number;
}

export interface ContentionResult {
  waits: WaitStats[];
  trickle: { alone: number[]; contended: number[]; fifo: number[] };
  waitsByKey: Record<string, number[]>;
  /** Share of the two backlogged keys per time bucket (seconds since the window start). */
  sharesOverTime: { t: number; shares: Record<string, number> }[];
  window: { startedAt: number; endedAt: number; shares: Record<string, number>; entitled: Record<string, number> };
  jain: number;
  shareError: number;
  /** Slots held by turns over the burst's backlogged window (its model calls take sizes.modelMs). */
  utilisation: number;
  turnP50Ms: number;
  /** The runtime's own time between two turns on a slot during the burst, derived: turnP50Ms × (1 − utilisation) / utilisation. */
  gapMs: number;
  /** The steady phase: both keys backlogged, model calls of sizes.steadyModelMs; the utilisation claim's figure. */
  steady: { utilisation: number; turns: number; turnP50Ms: number; windowMs: number };
  resources: { resource: string; scope: string; maxUsed: number; limit: number }[];
  deferred: Record<string, number>;
  /** In front of each tenant's fair-share key in the database ("" on scratch databases; live, per proof run). */
  keyPrefix: string;
  claims: Claim[];
}

const stats = (key: string, waits: number[]): WaitStats => ({
  key,
  weight: WEIGHTS[key] ?? 1,
  turns: waits.length,
  p50: pct(waits, 50),
  p99: pct(waits, 99),
});

export async function measureContention(
  db: Db,
  record: ContentionRecord,
  sizes: ProofSizes,
  /** runContention's: the database's keys are the tenants' names behind it. */
  keyPrefix = "",
): Promise<ContentionResult> {
  // The trickle's waits run from the client's request (see trickle() in scenario-contention.ts).
  const requested = new Map(
    [...record.arrivals.alone, ...record.arrivals.contention].map((a) => [a.runId, a.requestedAt]),
  );
  const fromRequest = (t: TurnRow): TurnRow => {
    const at = t.index === 0 ? requested.get(t.runId) : undefined;
    return at === undefined ? t : { ...t, waitMs: Math.max(0, t.startedAt - at) };
  };
  const contended = record.turns.filter((t) => t.phase === "contention").map(fromRequest);
  const alone = record.turns.filter((t) => t.phase === "alone").map(fromRequest);
  const waitsByKey: Record<string, number[]> = {};
  for (const t of contended) (waitsByKey[t.key] ??= []).push(t.waitMs);
  const waits = Object.keys(WEIGHTS)
    .filter((k) => k !== ALONE_KEY)
    .map((k) => stats(k, waitsByKey[k] ?? []));

  const fifo = fifoReplay(
    contended.map((t) => ({ ...t, arrivedAt: t.startedAt - t.waitMs })),
    sizes.slots,
  );
  const trickle = {
    alone: alone.filter((t) => t.key === ALONE_KEY).map((t) => t.waitMs),
    contended: waitsByKey[TENANTS.trickle] ?? [],
    fifo: fifo.filter((w) => w.key === TENANTS.trickle).map((w) => w.waitMs),
  };
  const turnP50Ms = pct(
    contended.map((t) => t.finishedAt - t.startedAt),
    50,
  );

  // The backlogged window: both weighted keys have work from the later of their first turns to the earlier of their last.
  const backlogged: string[] = [TENANTS.burst, TENANTS.weighted];
  const { from: startedAt, to: endedAt } = backloggedWindow(contended, backlogged);
  const inWindow = (t: TurnRow) => t.startedAt >= startedAt && t.startedAt <= endedAt && backlogged.includes(t.key);
  const windowTurns = contended.filter(inWindow);
  const totalWeight = backlogged.reduce((s, k) => s + (WEIGHTS[k] ?? 1), 0);
  const entitled = Object.fromEntries(backlogged.map((k) => [k, (WEIGHTS[k] ?? 1) / totalWeight]));
  const shareOf = (list: TurnRow[]) => {
    const cost: Record<string, number> = {};
    for (const t of list) cost[t.key] = (cost[t.key] ?? 0) + t.cost;
    const total = Object.values(cost).reduce((a, b) => a + b, 0) || 1;
    return Object.fromEntries(backlogged.map((k) => [k, (cost[k] ?? 0) / total]));
  };
  const shares = shareOf(windowTurns);
  const shareError = Math.max(
    ...backlogged.map((k) => Math.abs((shares[k] ?? 0) - (entitled[k] ?? 0)) / (entitled[k] ?? 1)),
  );
  const x = backlogged.map((k) => (shares[k] ?? 0) / (WEIGHTS[k] ?? 1));
  const jain = x.reduce((a, b) => a + b, 0) ** 2 / (x.length * x.reduce((a, b) => a + b * b, 0) || 1);
  const buckets = 12;
  const width = Math.max(1, (endedAt - startedAt) / buckets);
  const sharesOverTime = Array.from({ length: buckets }, (_, i) => {
    const from = startedAt + i * width;
    return {
      t: (i * width + width / 2) / 1000,
      shares: shareOf(windowTurns.filter((t) => t.startedAt >= from && t.startedAt < from + width)),
    };
  });
  const utilisation = slotsHeld(contended, startedAt, endedAt, sizes.slots);
  // What a turn leaves between itself and the next on its slot, from the burst's figures: turn × (1 − u) / u.
  const gapMs = (turnP50Ms * (1 - utilisation)) / utilisation;
  const steady = steadyFigures(record.turns, sizes.slots);

  const resources = rowsOf<{ resource: string; scope: string; max_used: number | string }>(
    await db.execute(sql`select resource, substr(scope, ${keyPrefix.length + 1}) as scope, max(used) as max_used
      from resource_windows
      where resource in (${`tool:${PROOF_TOOL}`}, 'writes') and left(scope, ${keyPrefix.length}) = ${keyPrefix}
      group by resource, scope order by resource, scope`),
  ).map((r) => ({
    resource: r.resource,
    scope: r.scope,
    maxUsed: Number(r.max_used),
    limit: r.resource === "writes" ? sizes.writesPerMinute : sizes.toolCallsPerMinute,
  }));
  const deferredRows = rowsOf<{ key: string; n: number | string }>(
    await db.execute(sql`select substr(r.fair_group, ${keyPrefix.length + 1}) as key, count(*) as n
      from audit_events e join runs r on r.id = e.subject_id
      where e.subject_type = 'run' and e.action = 'run.waiting' and e.payload->>'reason' = 'resource'
        and left(r.fair_group, ${keyPrefix.length}) = ${keyPrefix}
      group by r.fair_group`),
  );
  const deferred = Object.fromEntries(deferredRows.map((r) => [r.key, Number(r.n)]));

  const aloneP99 = pct(trickle.alone, 99);
  const contendedP99 = pct(trickle.contended, 99);
  const fifoP99 = pct(trickle.fifo, 99);
  const trickleLimit = THRESHOLDS.trickleP99OverAlone * aloneP99 + turnP50Ms;
  const background = contended.find((t) => t.runId === record.backgroundRun.id && t.index === 0);
  const dl = record.deadlineRun;
  const maxOver = (resource: string) =>
    Math.max(0, ...resources.filter((r) => r.resource === resource).map((r) => r.maxUsed - r.limit));
  const claims: Claim[] = [
    claim({
      id: "contention.completed",
      test: "contention",
      statement: `Every measured run finished (burst ${sizes.burstTurns} turns, weighted ${sizes.weightedTurns}, trickle ${sizes.trickleRuns}, deadline, low-priority, modest tool user)`,
      threshold: "all finished before the cap",
      measured: record.completed ? `finished in ${formatNumber(record.wallMs.contention / 1000)} s` : "hit the cap",
      pass: record.completed,
      evidence: "/runs/list",
    }),
    atMost({
      id: "contention.trickle-p99",
      test: "contention",
      statement: `${TENANTS.trickle}'s p99 wait under the burst stays close to its p99 alone (alone ${formatNumber(aloneP99)} ms; a FIFO replay of the same trace gives ${formatNumber(fifoP99)} ms)`,
      threshold: `≤ ${THRESHOLDS.trickleP99OverAlone} × alone p99 + one turn (${formatNumber(trickleLimit)} ms)`,
      value: contendedP99,
      limit: trickleLimit,
      unit: "ms",
      evidence: "/resources",
    }),
    atMost({
      id: "contention.beats-fifo",
      test: "contention",
      statement: `${TENANTS.trickle}'s p99 wait is below what FIFO would have given it on the same arrival trace (${formatNumber(fifoP99)} ms)`,
      threshold: "< FIFO replay p99",
      value: contendedP99,
      limit: fifoP99 - 1e-9,
      unit: "ms",
      evidence: "/resources",
    }),
    atMost({
      id: "contention.share-error",
      test: "contention",
      statement: `While ${TENANTS.burst} (weight ${WEIGHTS[TENANTS.burst]}) and ${TENANTS.weighted} (weight ${WEIGHTS[TENANTS.weighted]}) are both backlogged, each gets its weighted share of the endpoint (${backlogged.map((k) => `${k} ${formatNumber((shares[k] ?? 0) * 100)}% of ${formatNumber((entitled[k] ?? 0) * 100)}%`).join(", ")})`,
      threshold: `max relative error ≤ ${THRESHOLDS.shareError * 100}%`,
      value: shareError * 100,
      limit: THRESHOLDS.shareError * 100,
      unit: "%",
      evidence: auditLink("action:scheduling.weight_set"),
    }),
    atLeast({
      id: "contention.jain",
      test: "contention",
      statement: "Jain's fairness index over service ÷ weight of the backlogged keys",
      threshold: `≥ ${THRESHOLDS.jain}`,
      value: jain,
      limit: THRESHOLDS.jain,
      unit: "",
      evidence: "/resources",
    }),
    atLeast({
      id: "contention.steady-utilisation",
      test: "contention",
      statement: `Model slots held by turns while two weighted keys are backlogged, with model calls of ${sizes.steadyModelMs} ms (the turn length of PERFORMANCE.md's target and bench/fairness; ${sizes.slots} slots, a turn timed from its claim to its checkpoint; ${formatNumber(steady.turns)} turns of the two keys${record.steadyCompleted ? "" : ", NOT all finished before the phase's cap"}, and any other turn on the endpoint counts as holding its slot). During the burst's ${sizes.modelMs} ms calls the same measure is ${formatNumber(utilisation * 100)}% (not judged): the runtime's own time between two turns, about ${formatNumber(gapMs)} ms, is then a large share of a ${formatNumber(turnP50Ms)} ms turn`,
      threshold: `≥ ${THRESHOLDS.utilisation * 100}% (PERFORMANCE.md target, at its turn length), every steady run finished`,
      // A phase that stalled says nothing about the slots it left idle: its window ends at its last turn.
      value: record.steadyCompleted ? steady.utilisation * 100 : NaN,
      limit: THRESHOLDS.utilisation * 100,
      unit: "%",
      evidence: "/resources",
    }),
    claim({
      id: "contention.deadline",
      test: "contention",
      statement: `The deadline run (in ${TENANTS.burst}'s key, queued behind its burst) finished before its deadline`,
      threshold: `finished ≤ deadline (${sizes.deadlineMs / 1000} s after creation)`,
      measured:
        dl.finishedAt !== null && dl.deadline !== null
          ? `${dl.state}, ${formatNumber((dl.deadline - dl.finishedAt) / 1000)} s before the deadline`
          : `${dl.state}, not finished`,
      pass: dl.state === "succeeded" && dl.finishedAt !== null && dl.deadline !== null && dl.finishedAt <= dl.deadline,
      evidence: `/runs/${dl.id}`,
    }),
    atMost({
      id: "contention.low-priority",
      test: "contention",
      statement: `The low-priority run (class −10 under a flood of class 0) waited a bounded time`,
      threshold: `≤ ageing ${sizes.ageingMs / 1000} s + ${THRESHOLDS.ageingSlackMs / 1000} s`,
      value: background?.waitMs ?? NaN,
      limit: sizes.ageingMs + THRESHOLDS.ageingSlackMs,
      unit: "ms",
      evidence: `/runs/${record.backgroundRun.id}`,
    }),
    atMost({
      id: "contention.tool-quota",
      test: "contention",
      statement: `No key called ${PROOF_TOOL} more than its ${sizes.toolCallsPerMinute}/min in any minute window`,
      threshold: "0 calls over the quota",
      value: maxOver(`tool:${PROOF_TOOL}`),
      limit: 0,
      unit: "calls over",
      evidence: auditLink(`action:tool.called ${PROOF_TOOL}`),
    }),
    atMost({
      id: "contention.write-budget",
      test: "contention",
      statement: `No key wrote more than its ${sizes.writesPerMinute}/min write budget in any minute window`,
      threshold: "0 writes over the budget",
      value: maxOver("writes"),
      limit: 0,
      unit: "writes over",
      evidence: auditLink("action:tool.called write_file"),
    }),
    claim({
      id: "contention.quota-isolated",
      test: "contention",
      statement: `${TENANTS.greedy}, asking for more than its allowance, waited for the next window (${deferred[TENANTS.greedy] ?? 0} waits), while ${TENANTS.modest}, within its allowance of the same tool and budget, never waited`,
      threshold: `${TENANTS.greedy} resource waits ≥ 1 and ${TENANTS.modest} = 0`,
      measured: `${TENANTS.greedy} ${deferred[TENANTS.greedy] ?? 0}, ${TENANTS.modest} ${deferred[TENANTS.modest] ?? 0}`,
      pass: (deferred[TENANTS.greedy] ?? 0) >= 1 && (deferred[TENANTS.modest] ?? 0) === 0,
      evidence: auditLink("action:run.waiting job:proof-tools"),
    }),
  ];
  return {
    waits,
    trickle,
    waitsByKey,
    sharesOverTime,
    window: { startedAt, endedAt, shares, entitled },
    jain,
    shareError,
    utilisation,
    turnP50Ms,
    resources,
    deferred,
    keyPrefix,
    gapMs,
    steady,
    claims,
  };
}

/**
 * While every one of `keys` has work: from the latest of their first turns to the earliest of their
 * last (an empty window, to ≤ from, when a key has none).
 */
function backloggedWindow(turns: readonly TurnRow[], keys: readonly string[]): { from: number; to: number } {
  const starts = keys.map((k) => turns.filter((t) => t.key === k).map((t) => t.startedAt));
  if (starts.some((s) => s.length === 0)) return { from: 0, to: 0 };
  return { from: Math.max(...starts.map((s) => Math.min(...s))), to: Math.min(...starts.map((s) => Math.max(...s))) };
}

/** Slot time held by any turn over [from, to], as a share of the slots' time. */
function slotsHeld(turns: readonly TurnRow[], from: number, to: number, slots: number): number {
  let busy = 0;
  for (const t of turns) busy += Math.max(0, Math.min(t.finishedAt, to) - Math.max(t.startedAt, from));
  return to > from ? busy / (slots * (to - from)) : NaN;
}

/**
 * The steady phase's figures: its window runs while both its keys have work (from the later of
 * their first turns to the earlier of their last), and every turn on the endpoint counts as held.
 */
function steadyFigures(turns: readonly TurnRow[], slots: number): ContentionResult["steady"] {
  const steady = turns.filter((t) => t.phase === "steady");
  const { from, to } = backloggedWindow(steady, Object.keys(STEADY_WEIGHTS));
  const ok = to > from;
  return {
    utilisation: ok ? slotsHeld(turns, from, to, slots) : NaN,
    turns: steady.length,
    turnP50Ms: pct(
      steady.map((t) => t.finishedAt - t.startedAt),
      50,
    ),
    windowMs: ok ? to - from : 0,
  };
}
