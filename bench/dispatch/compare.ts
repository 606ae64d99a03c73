/**
 * Flightdeck vs pg-boss vs graphile-worker on the same Postgres, same no-op job, one
 * process with 4 concurrent handlers each (see RESULTS.md):
 *   npx tsx --conditions=react-server bench/dispatch/compare.ts [--url=…] [--jobs=1000] [--latency=100] [--smoke]
 *     [--only=flightdeck,pgBoss,graphile]
 * Latency: an idle worker, jobs enqueued one at a time 25 ms apart; enqueue → handler start
 * (Date.now() carried in the payload, same process clock). Throughput: a backlog inserted
 * while no worker runs, then one worker drains it; jobs / (start → last completion).
 * A Flightdeck "job" is a one-turn run: claim transaction + checkpoint transaction with
 * the audit events (run.running, turn.completed, run.succeeded) the others do not write,
 * sealed into the Merkle log by the audit sealer running in the same process; its column
 * "all sealed" counts until the last of those events is in a signed checkpoint.
 * CPU per job (cpu-window.ts): this process's and the whole machine's busy time over the drain,
 * divided by the jobs; the machine figure includes Postgres. --only: a subset (profiling one).
 * --smoke: 50 jobs, 10 latency samples (CI).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { Logger, makeWorkerUtils, run as runGraphile } from "graphile-worker";
import { openPostgres, setDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { systemPrincipal } from "@/lib/audit";
import { loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime";
import { silentLogger, type Logger as RuntimeLogger } from "@/lib/runtime";
import { syncModelEndpoints } from "@/lib/runtime";
import type { TurnExecutor } from "@/lib/runtime";
import { startWorker } from "@/lib/runtime";
import { startAuditSealer } from "@/lib/audit";
import { benchJob } from "./bench-job";
import { noopExecutor } from "./noop-executor";
import { startCpuWindow, type CpuPerJob } from "./cpu-window";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const serverUrl = arg("url", "postgres://postgres@127.0.0.1:5432/postgres");
const smoke = process.argv.includes("--smoke");
const JOBS = Number(arg("jobs", smoke ? "50" : "1000"));
const LATENCY = Number(arg("latency", smoke ? "10" : "100"));
const CONCURRENCY = 4;
// pg-boss polls (0.5 s minimum) and waits out the interval after each fetch, so its
// throughput is loops × batch / interval: batches are how it is meant to be driven.
const BOSS_BATCH = 25;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result {
  system: string;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  /** Flightdeck: jobs / (start → every audit event sealed). */
  sealedPerSecond?: number;
  /** Flightdeck: turns of the drain started by a checkpoint's slot handoff. */
  handoffs?: number;
  cpu: CpuPerJob;
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `fd_cmp_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    // Let the libraries' pools close their connections before the database goes.
    await sleep(1000);
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

async function untilCount(get: () => number | Promise<number>, target: number) {
  while ((await get()) < target) await sleep(5);
}

async function flightdeck(url: string): Promise<Result> {
  const handle = await openPostgres(url, 10);
  setDatabase(handle);
  await runMigrations(handle);
  await loadJobRegistry(handle.db, [benchJob]);
  await syncModelEndpoints(handle.db, [{ name: "default", provider: "bench", model: "noop", maxConcurrency: 1000 }]);
  const actor = systemPrincipal("bench", "bench");
  const latencies: number[] = [];
  const timed: TurnExecutor = {
    async execute(ctx) {
      const t = (ctx.input as { t?: number }).t;
      if (t) latencies.push(Date.now() - t);
      return noopExecutor.execute(ctx);
    },
  };
  const opts = { handle, concurrency: CONCURRENCY, pollIntervalMs: 1000, leaseMs: 30_000, logger: silentLogger };
  // Every instance runs the sealer beside its worker; it shares this process and database.
  const sealer = startAuditSealer(handle, { log: () => {} });
  let worker = await startWorker({ ...opts, executor: timed });
  for (let i = 0; i < LATENCY; i++) {
    await handle.db.transaction((tx) =>
      createRun(tx, { jobId: "bench-noop", input: { t: Date.now() }, trigger: { kind: "manual" }, actor }),
    );
    await sleep(25);
  }
  await untilCount(() => latencies.length, LATENCY);
  await worker.stop();
  await handle.db.transaction(async (tx) => {
    for (let i = 0; i < JOBS; i++)
      await createRun(tx, { jobId: "bench-noop", input: {}, trigger: { kind: "manual" }, actor });
  });
  const succeeded = async () =>
    Number(
      rowsOf<{ n: number }>(
        await handle.db.execute(sql`select count(*)::int as n from runs where state = 'succeeded'`),
      )[0]?.n,
    );
  const started = Date.now();
  const cpuWindow = startCpuWindow();
  // Completions are counted in the process, as for the peers: a turn counts once its checkpoint
  // committed (the worker logs it after the commit). Polling the database every 5 ms cost a
  // round trip per poll beside the worker's own.
  let handoffs = 0;
  let checkpointed = 0;
  const counting: RuntimeLogger = (_level, message, fields) => {
    if (message === "slot handed over") handoffs += 1;
    // A turn aborted by a fault is checkpointed too, and re-run: only completed turns count.
    else if (message === "turn checkpointed" && fields?.end === "result") checkpointed += 1;
  };
  worker = await startWorker({ ...opts, executor: noopExecutor, logger: counting });
  await untilCount(() => checkpointed, JOBS);
  const secs = (Date.now() - started) / 1000;
  const cpu = cpuWindow(JOBS);
  await worker.stop();
  const ok = await succeeded();
  if (ok !== LATENCY + JOBS) throw new Error(`flightdeck: ${ok} runs succeeded, expected ${LATENCY + JOBS}`);
  await sealer.drain();
  const sealedSecs = (Date.now() - started) / 1000;
  await sealer.stop();
  await handle.close();
  return {
    system: "flightdeck",
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    perSecond: JOBS / secs,
    sealedPerSecond: JOBS / sealedSecs,
    handoffs,
    cpu,
  };
}

async function pgBoss(url: string): Promise<Result> {
  const boss = new PgBoss({ connectionString: url, max: 10 });
  boss.on("error", (e) => console.error("pg-boss", e));
  await boss.start();
  await boss.createQueue("noop");
  const latencies: number[] = [];
  let completed = 0;
  const work = () =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        boss.work<{ t?: number }>("noop", { pollingIntervalSeconds: 0.5, batchSize: BOSS_BATCH }, async (jobs) => {
          for (const job of jobs) {
            if (job.data.t) latencies.push(Date.now() - job.data.t);
            completed++;
          }
        }),
      ),
    );
  await work();
  for (let i = 0; i < LATENCY; i++) {
    await boss.send("noop", { t: Date.now() });
    await sleep(25);
  }
  await untilCount(() => latencies.length, LATENCY);
  await boss.offWork("noop");
  await boss.insert(Array.from({ length: JOBS }, () => ({ name: "noop", data: {} })));
  completed = 0;
  const started = Date.now();
  const cpuWindow = startCpuWindow();
  await work();
  await untilCount(() => completed, JOBS);
  const secs = (Date.now() - started) / 1000;
  const cpu = cpuWindow(JOBS);
  await boss.stop({ graceful: true, wait: true });
  return {
    system: "pg-boss 10.4.2",
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    perSecond: JOBS / secs,
    cpu,
  };
}

async function graphile(url: string): Promise<Result> {
  const logger = new Logger(() => () => {});
  const latencies: number[] = [];
  let completed = 0;
  const taskList = {
    noop: async (payload: unknown) => {
      const t = (payload as { t?: number }).t;
      if (t) latencies.push(Date.now() - t);
      completed++;
    },
  };
  const options = {
    connectionString: url,
    concurrency: CONCURRENCY,
    noHandleSignals: true,
    pollInterval: 1000,
    logger,
    taskList,
  };
  let runner = await runGraphile(options);
  const utils = await makeWorkerUtils({ connectionString: url, logger });
  for (let i = 0; i < LATENCY; i++) {
    await utils.addJob("noop", { t: Date.now() });
    await sleep(25);
  }
  await untilCount(() => latencies.length, LATENCY);
  await runner.stop();
  await utils.withPgClient((client) =>
    client.query(`select graphile_worker.add_job('noop', '{}'::json) from generate_series(1, $1)`, [JOBS]),
  );
  completed = 0;
  const started = Date.now();
  const cpuWindow = startCpuWindow();
  runner = await runGraphile(options);
  await untilCount(() => completed, JOBS);
  const secs = (Date.now() - started) / 1000;
  const cpu = cpuWindow(JOBS);
  await runner.stop();
  await utils.release();
  return {
    system: "graphile-worker 0.16.6",
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    perSecond: JOBS / secs,
    cpu,
  };
}

async function main() {
  console.log(
    `# ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, node ${process.version}`,
  );
  console.log(`# one process, ${CONCURRENCY} concurrent handlers; ${LATENCY} latency samples; ${JOBS}-job backlog`);
  const results: Result[] = [];
  const all = { flightdeck, pgBoss, graphile };
  const only = arg("only", "") ? arg("only", "").split(",") : Object.keys(all);
  const unknown = only.filter((name) => !(name in all));
  if (unknown.length > 0)
    throw new Error(`--only: no system ${unknown.join(", ")} (choose from ${Object.keys(all).join(", ")})`);
  const systems = Object.values(all).filter((s) => only.includes(s.name));
  for (const system of systems) results.push(await withDatabase(system));
  console.log(
    "\n| system | start latency p50 | p95 | p99 | jobs/s (backlog drain) | jobs/s (drain + all audit sealed) | CPU per job: process / machine |\n|---|---|---|---|---|---|---|",
  );
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  for (const r of results)
    console.log(
      `| ${r.system} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.perSecond.toFixed(0)} | ${r.sealedPerSecond === undefined ? "—" : r.sealedPerSecond.toFixed(0)} | ${r.cpu.processMs.toFixed(2)} / ${r.cpu.machineMs.toFixed(2)} ms |`,
    );
  for (const r of results)
    if (r.handoffs !== undefined)
      console.log(`# ${r.system}: ${r.handoffs} of ${JOBS} drained turns started by a slot handoff`);
  console.log(
    `# load after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
