/**
 * The cockpit's charts over each time range: Resources (slots and waits per endpoint), the
 * Jobs sparklines (every job) and the job stats, at --runs runs with one turn each spread
 * evenly over 30 days, on embedded PGlite.
 *   npx tsx --conditions=react-server bench/charts/run.ts [--runs=50000] [--reps=5]
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { openPglite } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { jobChartWindow, jobRunSeries, jobRunStats, resourceChartWindow, resourceSeries } from "@/lib/board";
import { registerJobDefinitions, syncRegistry } from "@/lib/jobs";
import { timeRanges } from "@/lib/time-range";
import { benchJob } from "../dispatch/bench-job";

function arg(name: string, fallback: string): string {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
}
const total = Number(arg("runs", "50000"));
const reps = Number(arg("reps", "5"));
const spreadSeconds = 30 * 86_400;

// The benchmarks' shared job: charts only read runs and turns, whatever job they belong to.
const job = benchJob;

/** Median of `reps` timed calls after one warm-up, ms. */
async function time(f: () => Promise<unknown>): Promise<number> {
  await f();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await f();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return Math.round((samples[Math.floor(samples.length / 2)] ?? 0) * 10) / 10;
}

const handle = await openPglite(undefined);
await runMigrations(handle);
registerJobDefinitions([job]);
await syncRegistry(handle.db, [job]);
await handle.db.execute(sql`
  insert into model_endpoints (name, provider, model, max_concurrency) values ('default', 'test', 'test', 4)
  on conflict do nothing`);
// Run i was created i × (30 days / runs) ago, ran 20 s after a wait of 100–990 ms.
await handle.db.execute(sql`
  insert into runs (id, job_id, job_version, state, governance, trigger_kind, actor_kind, actor_label, input,
    model_endpoint, budget_tokens, budget_turns, budget_wall_clock_ms, fair_group, tokens_used,
    created_at, started_at, finished_at)
  select 'bench-' || i, ${job.id}, (select current_version from jobs where id = ${job.id}),
    (array['succeeded', 'failed', 'cancelled'])[1 + i % 3], '{}'::jsonb, 'manual', 'system', 'bench', '{}'::jsonb,
    'default', 1000, 1, 3600000, 'bench', i % 5000, at, at, at + interval '20 seconds'
  from generate_series(1, ${total}) as i,
       lateral (select now() - make_interval(secs => i * ${spreadSeconds / total}::double precision) as at) t`);
await handle.db.execute(sql`
  insert into turns (id, run_id, index, attempt, status, worker_id, messages_in, wait_ms, started_at, finished_at)
  select 'turn-' || id, id, 0, 1, 'completed', 'bench', '[]'::jsonb, 100 + (tokens_used % 900), started_at, finished_at
  from runs`);
await handle.db.execute(sql`analyze`);

console.log(
  `${total} runs and turns over 30 days, PGlite, ${os.cpus().length} cpus, load ${os.loadavg()[0]?.toFixed(2)}`,
);
console.log("range | buckets | resources | jobs sparklines | job stats (ms, median)");
for (const range of timeRanges) {
  const resources = await resourceChartWindow(handle.db, range);
  const jobs = await jobChartWindow(handle.db, range);
  const figures = [
    await time(() => resourceSeries(handle.db, resources)),
    await time(() => jobRunSeries(handle.db, { window: jobs })),
    await time(() => jobRunStats(handle.db, undefined, jobs.from)),
  ];
  console.log(`${range} | ${resources.starts.length} × ${resources.bucket} | ${figures.join(" | ")}`);
}
await handle.close();
