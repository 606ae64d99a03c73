/**
 * Dispatch benchmark on real Postgres (see RESULTS.md):
 *   npx tsx --conditions=react-server bench/dispatch/run.ts [--url=postgres://…/postgres]
 *     [--latency-runs=200] [--throughput-runs=1000] [--turns=1] [--workers=1,2,4] [--concurrency=4]
 *   npm run bench:dispatch:workers:smoke   # CI: 5 latency runs, 50-run backlogs, 1 and 2 processes
 * 1. claim-to-start latency: an idle pool of worker processes; runs created one at a time
 *    (25 ms apart); latency = first turn's started_at − run's created_at (both DB clock).
 * 2. throughput: N worker processes (no-op executor) drain a backlog committed at once;
 *    turns/s = turns / (last turn finished − first turn started).
 * Every turn pays the full runtime cost: claim transaction, lease, checkpoint, audit events.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { setDatabase, type DatabaseHandle } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { systemPrincipal } from "@/lib/audit";
import { loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime";
import { syncModelEndpoints } from "@/lib/runtime";
import { withScratchDatabase } from "../scratch-database";
import { benchJob } from "./bench-job";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const serverUrl = arg("url", "postgres://postgres@127.0.0.1:5432/postgres");
const latencyRuns = Number(arg("latency-runs", "200"));
const throughputRuns = Number(arg("throughput-runs", "1000"));
const turnsPerRun = Number(arg("turns", "1"));
const workerCounts = arg("workers", "1,2,4").split(",").map(Number);
const concurrency = Number(arg("concurrency", "4"));
const root = path.resolve(import.meta.dirname, "../..");
const actor = systemPrincipal("bench", "dispatch bench");

function spawnWorkers(url: string, n: number): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              "--conditions=react-server",
              "--import",
              "tsx",
              path.join(root, "bench/dispatch/noop-worker.ts"),
              `--worker-id=bench-${i + 1}`,
              `--concurrency=${concurrency}`,
            ],
            {
              cwd: root,
              // The worker syncs the configured endpoints at start: keep the bench's limit, not the default of 4.
              env: { ...process.env, DATABASE_URL: url, FLIGHTDECK_DEFAULT_MODEL_CONCURRENCY: "1000" },
              stdio: ["ignore", "pipe", "inherit"],
            },
          );
          child.stdout?.on("data", (chunk: Buffer) => {
            if (chunk.toString().includes('"worker started"')) resolve(child);
          });
          child.on("exit", (code) => reject(new Error(`bench worker exited early (${code})`)));
        }),
    ),
  );
}

async function stopWorkers(children: ChildProcess[]) {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.removeAllListeners("exit");
          c.on("exit", () => resolve());
          c.kill("SIGTERM");
        }),
    ),
  );
}

/** Waits until no run is open; throws, naming what is left, when none finished for a minute (a stuck bench fails CI, never hangs it). */
async function waitAllDone(handle: DatabaseHandle) {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const [row] = rowsOf<{ open: number }>(
      await handle.db.execute(
        sql`select count(*)::int as open from runs where state not in ('succeeded', 'failed', 'cancelled', 'timed_out')`,
      ),
    );
    const open = Number(row?.open);
    if (open === 0) return;
    if (open !== last) [last, since] = [open, Date.now()];
    else if (Date.now() - since > 60_000) {
      const left = rowsOf<{ state: string; reason: string | null; n: number }>(
        await handle.db.execute(
          sql`select state, state_reason as reason, count(*)::int as n from runs where state not in ('succeeded', 'failed', 'cancelled', 'timed_out') group by 1, 2`,
        ),
      );
      throw new Error(`no run finished for 60 s; open: ${JSON.stringify(left)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  await withScratchDatabase(serverUrl, { prefix: "fd_bench_dispatch", poolSize: 10 }, async (handle, url) => {
    setDatabase(handle);
    await loadJobRegistry(handle.db, [benchJob]);
    await syncModelEndpoints(handle.db, [{ name: "default", provider: "bench", model: "noop", maxConcurrency: 1000 }]);
    const [version] = rowsOf<{ v: string }>(await handle.db.execute(sql`select version() as v`));
    console.log(
      `# machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    );
    console.log(`# postgres: ${version?.v.split(" on ")[0]}`);
    console.log(`# concurrency per worker: ${concurrency}, turns per run: ${turnsPerRun}`);

    // 1. Claim-to-start latency with an idle pool of two worker processes.
    const pool = await spawnWorkers(url, 2);
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < latencyRuns; i++) {
        await handle.db.transaction((tx) =>
          createRun(tx, { jobId: "bench-noop", input: { turns: 1 }, trigger: { kind: "manual" }, actor }),
        );
        await new Promise((r) => setTimeout(r, 25));
      }
      await waitAllDone(handle);
    } finally {
      await stopWorkers(pool);
    }
    const [lat] = rowsOf<Record<string, number>>(
      await handle.db.execute(sql`
        select
          percentile_cont(0.5) within group (order by ms) as p50,
          percentile_cont(0.95) within group (order by ms) as p95,
          percentile_cont(0.99) within group (order by ms) as p99,
          max(ms) as max
        from (select extract(epoch from (t.started_at - r.created_at)) * 1000 as ms
              from runs r join turns t on t.run_id = r.id and t.index = 0) x`),
    );
    const f = (v: unknown) => Number(v).toFixed(1);
    console.log(
      `\nclaim-to-start latency (${latencyRuns} runs, idle pool of 2 worker processes): p50 ${f(lat?.p50)} ms, p95 ${f(lat?.p95)} ms, p99 ${f(lat?.p99)} ms, max ${f(lat?.max)} ms`,
    );

    // 2. Throughput: N worker processes drain a backlog.
    console.log(`\n| worker processes | runs × turns | turns/s | runs/s |\n|---|---|---|---|`);
    for (const n of workerCounts) {
      await handle.db.execute(sql`truncate turns, approvals, runs cascade`);
      const workers = await spawnWorkers(url, n);
      try {
        await handle.db.transaction(async (tx) => {
          for (let i = 0; i < throughputRuns; i++) {
            await createRun(tx, {
              jobId: "bench-noop",
              input: { turns: turnsPerRun },
              trigger: { kind: "manual" },
              actor,
            });
          }
        });
        await waitAllDone(handle);
      } finally {
        // A failed bench leaves no worker process behind on the scratch database.
        await stopWorkers(workers);
      }
      const [tp] = rowsOf<{ turns: number; secs: number }>(
        await handle.db.execute(sql`
          select count(*)::int as turns, extract(epoch from (max(finished_at) - min(started_at)))::float8 as secs
          from turns where status = 'completed'`),
      );
      const turns = Number(tp?.turns);
      const secs = Number(tp?.secs);
      console.log(
        `| ${n} | ${throughputRuns} × ${turnsPerRun} | ${(turns / secs).toFixed(0)} | ${(throughputRuns / secs).toFixed(0)} |`,
      );
    }
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
