import { evidence, esc, ms, percent, table } from "./html";
import { formatNumber } from "./claims";
import type { ProofReport } from "./report-types";
import { STEADY_WEIGHTS, TENANTS } from "./scenario-contention";
import { lineChart } from "./svg-lines";

/** Test 1's section: waits per tenant, the CDF, shares against weights over time, the quota windows. */
export function contentionSection(report: ProofReport): string {
  const { result, cdf } = report.contention;
  const { sizes } = report;
  const waits = table(
    ["tenant (fair-share key)", "weight", "role", "turns", "wait p50", "wait p99"],
    result.waits.map((w) => [
      esc(w.key),
      String(w.weight),
      esc(ROLE[w.key] ?? ""),
      formatNumber(w.turns),
      ms(w.p50),
      ms(w.p99),
    ]),
    [1, 3, 4, 5],
  );
  const trickle = table(
    [`${TENANTS.trickle}'s wait`, "p50", "p99"],
    [
      ["alone (its trickle with nobody else)", ms(result.trickle.alone.p50), ms(result.trickle.alone.p99)],
      ["under the burst, Flightdeck", ms(result.trickle.contended.p50), ms(result.trickle.contended.p99)],
      ["under the burst, FIFO replay of the same trace", ms(result.trickle.fifo.p50), ms(result.trickle.fifo.p99)],
    ],
    [1, 2],
  );
  const cdfChart = lineChart({
    title: "Waits before a turn starts (CDF)",
    xLabel: "wait (ms, log scale)",
    yLabel: "share of turns",
    xLog: true,
    yMax: 1,
    xTick: (v) => (v >= 1000 ? `${formatNumber(v / 1000)} s` : `${Math.round(v)} ms`),
    yTick: (v) => `${Math.round(v * 100)}%`,
    series: cdf,
    description: cdf.map((s) => `${s.label}: ${s.points.length} points`).join("; "),
  });
  const keys = Object.keys(result.window.entitled);
  const shareChart = lineChart({
    title: "Share of the endpoint while both weighted keys are backlogged",
    xLabel: "seconds into the backlogged window",
    yLabel: "share of turn cost",
    yMax: 1,
    xTick: (v) => `${Math.round(v)} s`,
    yTick: (v) => `${Math.round(v * 100)}%`,
    series: [
      ...keys.map((k, i) => ({
        label: `${k} share`,
        tone: i,
        points: result.sharesOverTime.map((b) => [b.t, b.shares[k] ?? 0] as const),
      })),
      // Each key's entitlement in its share's colour, dashed.
      ...keys.map((k, i) => ({
        label: `${k} entitled (weight)`,
        dashed: true,
        tone: i,
        points: result.sharesOverTime.map((b) => [b.t, result.window.entitled[k] ?? 0] as const),
      })),
    ],
    description: keys
      .map(
        (k) =>
          `${k}: ${percent(result.window.shares[k] ?? NaN)} served, ${percent(result.window.entitled[k] ?? NaN)} entitled`,
      )
      .join("; "),
  });
  const resources = table(
    ["resource", "key", "most used in one minute window", "limit per minute"],
    result.resources.map((r) => [esc(r.resource), esc(r.scope), String(r.maxUsed), String(r.limit)]),
    [2, 3],
  );
  return `
<p>${sizes.slots} model slots on one endpoint (the built-in simulated model, ${sizes.modelMs} ms a call), one worker.
${esc(TENANTS.burst)} sends a burst of ${formatNumber(sizes.burstTurns)} single-turn runs at once; ${esc(TENANTS.weighted)}
(weight 2) ${formatNumber(sizes.weightedTurns)} right after; ${esc(TENANTS.trickle)} one run every ${sizes.trickleEveryMs} ms
(${sizes.trickleRuns} runs) while they drain; a run with a ${sizes.deadlineMs / 1000} s deadline joins ${esc(TENANTS.burst)}'s key behind
its burst; a class −10 run (${esc(TENANTS.background)}) waits under the class-0 flood; ${esc(TENANTS.greedy)} (${sizes.greedyRuns} runs) and
${esc(TENANTS.modest)} (${sizes.modestRuns}) each call <code>lookup_record</code> (quota ${sizes.toolCallsPerMinute}/min per key) and
<code>write_file</code> (write budget ${sizes.writesPerMinute}/min per key). A wait is the time from when a turn could run (its run
was asked for, or its previous turn ended) to when it started; ${esc(TENANTS.trickle)}'s are timed from the client's request.
The FIFO column replays the recorded arrival trace through ${sizes.slots} first-come-first-served slots with each turn's
measured duration (a simulation on the same trace, not a second queue product).</p>
${waits}
${trickle}
${cdfChart}
<p>Backlogged window: ${formatNumber((result.window.endedAt - result.window.startedAt) / 1000)} s; Jain's index ${result.jain.toFixed(4)};
largest share error ${percent(result.shareError)}; slots held by turns ${percent(result.utilisation)}; median turn ${ms(result.turnP50Ms)}
(${sizes.modelMs} ms model calls), so the runtime's own time between two turns on a slot is about ${ms(result.gapMs)}.</p>
<p>Steady phase, after the burst: ${esc(Object.keys(STEADY_WEIGHTS).join(" and "))} (weights ${esc(Object.values(STEADY_WEIGHTS).join(" and "))}),
${sizes.steadyRunsPerKey} single-turn runs each queued at once, model calls of ${sizes.steadyModelMs} ms — the turn length at which
PERFORMANCE.md states the utilisation target: slots held by turns ${percent(result.steady.utilisation)} over the
${formatNumber(result.steady.windowMs / 1000)} s both were backlogged (${result.steady.turns} turns, median ${ms(result.steady.turnP50Ms)}).</p>
${shareChart}
<h3>Tool quota and write budget (the product's own per-minute windows, <code>resource_windows</code>)</h3>
${resources}
<p class="muted">Runs that found their key's window full waited for the next one: ${
    Object.entries(result.deferred)
      .map(([k, n]) => `${esc(k)} ${n}`)
      .join(", ") || "none"
  }. Evidence: ${evidence("/audit?q=action%3Arun.waiting+job%3Aproof-tools")}.</p>`;
}

const ROLE: Record<string, string> = {
  [TENANTS.burst]: "the burst (and the deadline run)",
  [TENANTS.weighted]: "backlogged next to the burst",
  [TENANTS.trickle]: "the trickle",
  [TENANTS.greedy]: "over its tool and write allowance",
  [TENANTS.modest]: "within its allowance",
  [TENANTS.background]: "the low-priority run",
};
