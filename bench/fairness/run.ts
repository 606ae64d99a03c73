/**
 * Fairness under contention: Flightdeck (VTC fair share) vs graphile-worker and pg-boss
 * (FIFO, and with their priority knob) on the same Postgres. See RESULTS.md.
 *   npx tsx --conditions=react-server bench/fairness/run.ts [--url=postgres://…] [--smoke]
 * Writes bench/fairness/results.json, charts/*.svg and prints the tables for RESULTS.md.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { resetEnvCache } from "@/lib/env";
import { claimCost } from "./claim-cost";
import { flightdeckSystem, graphileSystem, pgBossSystem, type Job, type Served, type System } from "./harness";
import { barChart, fmt, pct, shares, waits } from "@/lib/proof";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const SMOKE = process.argv.includes("--smoke");
const serverUrl = arg("url", process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
// Turns long against the claim overhead on this 2-core box, so slot utilisation measures
// the scheduler rather than CPU starvation.
const SLOTS = 4;
const TURN_MS = Number(arg("turn-ms", SMOKE ? "200" : "400"));
const BURST = Number(arg("burst", SMOKE ? "200" : "5000"));
const B_RUNS = SMOKE ? 6 : 30;
const B_EVERY_MS = Number(arg("b-every-ms", SMOKE ? "300" : "500"));
const CAP_MS = Number(arg("cap-ms", SMOKE ? "15000" : "60000"));
const outDir = path.join(import.meta.dirname, arg("out", SMOKE ? "smoke" : "."));
// --scenarios=alone,skewed,prio,trickle,balanced,weighted,spread,heavy (default: all); --no-claim-cost.
const only = new Set(arg("scenarios", "alone,skewed,prio,trickle,balanced,weighted,spread,heavy").split(","));
const CLAIM_COST = !process.argv.includes("--no-claim-cost");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jobs = (key: string, n: number, tokens: [number, number] = [400, 100], priority?: number): Job[] =>
  Array.from({ length: n }, () => ({ key, inputTokens: tokens[0], outputTokens: tokens[1], priority }));

async function withDatabase<T>(prefix: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `i10_${prefix}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await sleep(500);
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

/** Polls until `done` or the cap; returns what was served. */
async function until(
  system: System,
  done: (served: Served[]) => boolean,
  capMs = CAP_MS,
): Promise<{ served: Served[]; capped: boolean }> {
  const started = Date.now();
  for (;;) {
    const served = await system.served();
    if (done(served)) return { served, capped: false };
    if (Date.now() - started > capMs) return { served, capped: true };
    await sleep(250);
  }
}

/** B's jobs arriving one every `everyMs`, with A's burst (if any) enqueued first. */
async function arrivals(
  system: System,
  burst: number,
  bCount: number,
  everyMs: number,
  bPriority?: number,
): Promise<number> {
  for (let i = 0; i < burst; i += 500) await system.enqueue(jobs("tenant-a", Math.min(500, burst - i)));
  const t = Date.now();
  for (let i = 0; i < bCount; i++) {
    await system.enqueue(jobs("tenant-b", 1, [400, 100], bPriority));
    const next = t + (i + 1) * everyMs;
    await sleep(Math.max(0, next - Date.now()));
  }
  return Date.now();
}

interface WaitRow {
  system: string;
  scenario: string;
  p50: number;
  p99: number;
  served: number;
  of: number;
  capped: boolean;
}
interface ShareRow {
  system: string;
  scenario: string;
  report: ReturnType<typeof shares>;
  entitled: Record<string, number>;
}

const waitRows: WaitRow[] = [];
const shareRows: ShareRow[] = [];

async function waitScenario(
  system: System,
  scenario: string,
  burst: number,
  bCount: number,
  everyMs: number,
  bPriority?: number,
) {
  await arrivals(system, burst, bCount, everyMs, bPriority);
  const { served, capped } = await until(system, (s) => s.filter((x) => x.key === "tenant-b").length >= bCount);
  const w = waits(served, "tenant-b");
  // Jobs of B not served by the cap count as waiting until the cap (a lower bound).
  const missing = bCount - w.length;
  const lower = [...w, ...Array.from({ length: missing }, () => CAP_MS)];
  waitRows.push({
    system: system.name,
    scenario,
    p50: pct(lower, 50),
    p99: pct(lower, 99),
    served: w.length,
    of: bCount,
    capped,
  });
  console.log(
    `  ${scenario}: B p50 ${fmt(pct(lower, 50))} ms, p99 ${fmt(pct(lower, 99))} ms (${w.length}/${bCount} served${capped ? ", capped" : ""})`,
  );
  await system.reset();
}

async function shareScenario(
  system: System,
  scenario: string,
  load: () => Promise<void>,
  weights: Record<string, number>,
  windowTurns: number,
  basis: "tokens" | "turns",
  keyOf?: (k: string) => string,
) {
  await system.setWeights?.(weights);
  await load();
  const { served } = await until(system, (s) => s.length >= windowTurns);
  const report = shares(served, weights, windowTurns, SLOTS, basis, keyOf);
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  shareRows.push({
    system: system.name,
    scenario,
    report,
    entitled: Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, w / total])),
  });
  console.log(
    `  ${scenario}: shares ${JSON.stringify(Object.fromEntries(Object.entries(report.share).map(([k, v]) => [k, +v.toFixed(3)])))} jain ${report.jain.toFixed(3)} util ${report.utilisation.toFixed(3)}`,
  );
  await system.reset();
}

async function benchSystem(make: (url: string) => Promise<System>, fairOnly: boolean) {
  await withDatabase("fair", async (url) => {
    const system = await make(url);
    console.log(`# ${system.name}`);
    try {
      if (only.has("alone")) await waitScenario(system, "B alone", 0, B_RUNS, B_EVERY_MS);
      if (only.has("skewed"))
        await waitScenario(system, `skewed burst (A ${BURST}, B ${B_RUNS})`, BURST, B_RUNS, B_EVERY_MS);
      if (!fairOnly && only.has("prio"))
        await waitScenario(system, "skewed burst, B hand-prioritised", BURST, B_RUNS, B_EVERY_MS, 10);
      if (only.has("trickle"))
        await waitScenario(system, "trickle (B every 2 s)", Math.round(BURST / 2), SMOKE ? 2 : 8, 2000);
      const window = Number(arg("window", SMOKE ? "40" : "200"));
      if (only.has("balanced"))
        await shareScenario(
          system,
          "balanced",
          async () => {
            await system.enqueue(jobs("tenant-a", window));
            await system.enqueue(jobs("tenant-b", window));
          },
          { "tenant-a": 1, "tenant-b": 1 },
          window,
          "tokens",
        );
      if (only.has("weighted"))
        await shareScenario(
          system,
          "weighted 3:1",
          async () => {
            await system.enqueue(jobs("tenant-a", window));
            await system.enqueue(jobs("tenant-b", window));
          },
          { "tenant-a": 3, "tenant-b": 1 },
          window,
          "tokens",
        );
      if (fairOnly && only.has("spread")) {
        const spreadKeys = SMOKE ? 10 : 50;
        await shareScenario(
          system,
          `A spread over ${spreadKeys} keys`,
          async () => {
            const a: Job[] = [];
            for (let k = 0; k < spreadKeys; k++) a.push(...jobs(`tenant-a-${k}`, Math.ceil((window * 2) / spreadKeys)));
            await system.enqueue(a);
            await system.enqueue(jobs("tenant-b", window));
          },
          { "tenant-a": 1, "tenant-b": 1 },
          window,
          "turns",
          (k) => (k.startsWith("tenant-a") ? "tenant-a" : k),
        );
      }
      if (fairOnly && only.has("heavy")) {
        await shareScenario(
          system,
          "heavy (A) vs light (B) turns, token-weighted",
          async () => {
            await system.enqueue(jobs("tenant-a", window, [4000, 1000]));
            await system.enqueue(jobs("tenant-b", window * 2, [400, 100]));
          },
          { "tenant-a": 1, "tenant-b": 1 },
          window,
          "tokens",
        );
        // Per-turn counting (what Temporal/Hatchet-style round robin does): every turn costs 1.
        process.env.FLIGHTDECK_SCHEDULING_INPUT_WEIGHT = "0";
        process.env.FLIGHTDECK_SCHEDULING_OUTPUT_WEIGHT = "0";
        process.env.FLIGHTDECK_SCHEDULING_MIN_TURN_COST = "1";
        resetEnvCache();
        await shareScenario(
          system,
          "heavy (A) vs light (B) turns, per-turn counting",
          async () => {
            await system.enqueue(jobs("tenant-a", window, [4000, 1000]));
            await system.enqueue(jobs("tenant-b", window * 2, [400, 100]));
          },
          { "tenant-a": 1, "tenant-b": 1 },
          window,
          "tokens",
        );
        delete process.env.FLIGHTDECK_SCHEDULING_INPUT_WEIGHT;
        delete process.env.FLIGHTDECK_SCHEDULING_OUTPUT_WEIGHT;
        delete process.env.FLIGHTDECK_SCHEDULING_MIN_TURN_COST;
        resetEnvCache();
      }
    } finally {
      await system.close();
    }
  });
}

async function main() {
  // --render=results.json: only write the tables and charts of a recorded run (and merge --claims=<json> into it).
  const render = arg("render", "");
  if (render) {
    const recorded = JSON.parse(readFileSync(render, "utf8")) as {
      header: string;
      waitRows: WaitRow[];
      shareRows: ShareRow[];
      claims: ClaimCostRow[];
    };
    const claimsFile = arg("claims", "");
    const claims = claimsFile
      ? (JSON.parse(readFileSync(claimsFile, "utf8")) as { claims: ClaimCostRow[] }).claims
      : recorded.claims;
    waitRows.push(...recorded.waitRows);
    shareRows.push(...recorded.shareRows);
    write(recorded.header, claims);
    return;
  }
  const header = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}, node ${process.version}`;
  console.log(
    `# ${header}; ${SLOTS} slots, ${TURN_MS} ms turns, burst ${BURST}, cap ${CAP_MS} ms${SMOKE ? " (smoke)" : ""}`,
  );
  const scenarioNames = ["alone", "skewed", "prio", "trickle", "balanced", "weighted", "spread", "heavy"];
  if (scenarioNames.some((n) => only.has(n))) {
    await benchSystem((url) => flightdeckSystem(url, SLOTS, TURN_MS), true);
    await benchSystem((url) => graphileSystem(url, SLOTS, TURN_MS), false);
    await benchSystem((url) => pgBossSystem(url, SLOTS, TURN_MS), false);
  }
  const claims = CLAIM_COST
    ? await withDatabase("claim", (url) => claimCost(url, SMOKE ? [1_000, 5_000] : [1_000, 10_000, 100_000], 1_000))
    : [];
  write(header, claims);
}

type ClaimCostRow = Omit<Awaited<ReturnType<typeof claimCost>>[number], "plan"> & { plan?: string };

function write(header: string, claims: ClaimCostRow[]) {
  mkdirSync(path.join(outDir, "charts"), { recursive: true });
  const lines: string[] = [`<!-- ${header} -->`, ""];
  lines.push(
    "### Tenant B's wait (enqueue → first turn starts)",
    "",
    "| system | scenario | B p50 | B p99 | B served |",
    "|---|---|---|---|---|",
  );
  for (const r of waitRows)
    lines.push(
      `| ${r.system} | ${r.scenario} | ${fmt(r.p50)} ms | ${r.capped ? "≥ " : ""}${fmt(r.p99)} ms | ${r.served}/${r.of}${r.capped ? ` (cap ${CAP_MS / 1000} s)` : ""} |`,
    );
  lines.push(
    "",
    "### Shares while every key is backlogged",
    "",
    "| system | scenario | share (entitled) | turns | Jain | max share error | utilisation |",
    "|---|---|---|---|---|---|---|",
  );
  for (const r of shareRows) {
    const share = Object.entries(r.report.share)
      .map(([k, v]) => `${k} ${(v * 100).toFixed(1)}% (${((r.entitled[k] ?? 0) * 100).toFixed(0)}%)`)
      .join(", ");
    const turns =
      Object.entries(r.report.turns)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "—";
    lines.push(
      `| ${r.system} | ${r.scenario} | ${share} | ${turns} | ${r.report.jain.toFixed(3)} | ${(r.report.shareError * 100).toFixed(1)}% | ${(r.report.utilisation * 100).toFixed(1)}% |`,
    );
  }
  lines.push(
    "",
    "### Claim cost against the runnable backlog (1,000 keys)",
    "",
    "| runnable runs | claim transaction p50 | p95 | policy statement p50 (as run in flightdeck_claim_candidate, auto_explain analyze) | seq scan on runs in the plan |",
    "|---|---|---|---|---|",
  );
  for (const c of claims)
    lines.push(
      `| ${c.runnable.toLocaleString("en-US")} | ${fmt(c.p50)} ms | ${fmt(c.p95)} ms | ${fmt(c.statementP50)} ms | ${c.seqScanOnRuns ? "yes" : "no"} |`,
    );
  const scenarios = [...new Set(waitRows.map((r) => r.scenario))];
  scenarios.forEach((scenario, i) => {
    const svg = barChart(
      `Tenant B wait — ${scenario}`,
      "ms",
      waitRows
        .filter((r) => r.scenario === scenario)
        .map((r) => ({
          label: r.system,
          bars: [
            { label: "p50", value: r.p50 },
            { label: "p99", value: r.p99 },
          ],
        })),
    );
    writeFileSync(path.join(outDir, "charts", `wait-${i + 1}.svg`), svg);
  });
  const shareScenarios = [...new Set(shareRows.map((r) => r.scenario))];
  shareScenarios.forEach((scenario, i) => {
    const svg = barChart(
      `Share of service — ${scenario}`,
      "%",
      shareRows
        .filter((r) => r.scenario === scenario)
        .map((r) => ({
          label: r.system,
          bars: Object.entries(r.report.share).flatMap(([k, v]) => [
            { label: `${k} share`, value: v * 100 },
            { label: `${k} entitled`, value: (r.entitled[k] ?? 0) * 100 },
          ]),
        })),
    );
    writeFileSync(path.join(outDir, "charts", `share-${i + 1}.svg`), svg);
  });
  writeFileSync(
    path.join(outDir, "results.json"),
    JSON.stringify({ header, slots: SLOTS, turnMs: TURN_MS, burst: BURST, waitRows, shareRows, claims }, null, 2) +
      "\n",
  );
  console.log(lines.join("\n"));
  writeFileSync(path.join(outDir, "results.md"), lines.join("\n") + "\n");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
