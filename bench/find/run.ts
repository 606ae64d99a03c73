/**
 * Finding runs at scale (results: docs/PERFORMANCE.md, "Finding runs"): the command
 * palette's search (GET /api/search) and a page of the list view (/runs/list) over
 * --runs runs, on embedded PGlite (what `npm start` uses) and on Postgres.
 *   npx tsx --conditions=react-server bench/find/run.ts [--runs=50000] [--reps=20] [--url=postgres://…]
 *   npm run bench:find:smoke     # 500 runs on PGlite only
 * Each query runs --reps times after one warm-up; p50 and p95 are reported in ms.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openPglite, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { listRunPage, runListQuery, searchQuery, searchRuns } from "@/lib/board";
import { defineJob, registerJobDefinitions, syncRegistry } from "@/lib/jobs";
import { withScratchDatabase } from "../scratch-database";

function arg(name: string, fallback: string): string {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
}
const smoke = process.argv.includes("--smoke");
const total = Number(arg("runs", smoke ? "500" : "50000"));
const reps = Number(arg("reps", smoke ? "3" : "20"));
const serverUrl = arg("url", "postgres://postgres@127.0.0.1:5432/postgres");

const job = defineJob({
  id: "bench-find",
  title: "Find bench",
  description: "Runs that only exist to be found.",
  triggers: [{ kind: "manual" }],
  agent: { model: "default", instructions: "bench", tools: [], maxTurns: 1 },
  budgets: { tokens: 1000, turns: 1, wallClockMs: 3_600_000 },
  scheduling: { group: "bench", weight: 1, priority: 0 },
  governance: {
    owner: "bench@flightdeck.local",
    purpose: "Benchmark the run search.",
    riskLevel: "minimal",
    dataCategories: [],
    humanOversight: "none",
    authorizedBy: "bench@flightdeck.local",
    authorizedAt: "2026-01-01",
    retentionDays: 30,
  },
});

/** Runs spread over 30 days, every state, titled like tickets, with a customer address each. */
async function seed(handle: DatabaseHandle): Promise<string> {
  registerJobDefinitions([job]);
  await syncRegistry(handle.db, [job]);
  await handle.db.execute(sql`
    insert into runs (id, job_id, job_version, state, governance, trigger_kind, actor_kind, actor_label, input, title,
      model_endpoint, budget_tokens, budget_turns, budget_wall_clock_ms, fair_group, tokens_used, turns_used,
      created_at, state_since, updated_at)
    select gen_random_uuid()::text, 'bench-find', (select current_version from jobs where id = 'bench-find'),
      (array['queued','running','waiting','paused','succeeded','failed','cancelled','timed_out'])[1 + i % 8],
      '{"owner":"bench@flightdeck.local","riskLevel":"minimal"}'::jsonb, 'manual', 'system', 'bench',
      jsonb_build_object('customer', 'user' || (i % 997) || '@customer' || (i % 89) || '.example'),
      (array['Refund for order','Export times out','Invite button greyed out','SSO login loops','Invoice missing'])[1 + i % 5] || ' #' || i,
      'default', 1000, 1, 3600000, 'customer' || (i % 89) || '.example', (i * 37) % 5000, i % 8,
      now() - make_interval(secs => (i % 2592000)::double precision), now(), now()
    from generate_series(1, ${total}) as i`);
  await handle.db.execute(sql`analyze runs`);
  const [first] = rowsOf<{ id: string }>(await handle.db.execute(sql`select id from runs order by id limit 1`));
  if (!first) throw new Error("seed wrote no runs");
  return first.id;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: Math.round(at(0.5) * 10) / 10, p95: Math.round(at(0.95) * 10) / 10 };
}

async function time(fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return summary(samples);
}

async function bench(handle: DatabaseHandle) {
  const seeded = performance.now();
  const someId = await seed(handle);
  const seedMs = Math.round(performance.now() - seeded);
  const db = handle.db;
  const find = (q: string) => () => searchRuns(db, searchQuery.parse({ q }));
  const list = (params: Record<string, string>) => () => listRunPage(db, runListQuery.parse(params));
  return {
    runs: total,
    seedMs,
    palette: {
      "subject words ('export times')": await time(find("export times")),
      "short id (8 hex)": await time(find(someId.slice(0, 8))),
      "customer domain": await time(find("customer42.example")),
      "no match": await time(find("no such ticket anywhere")),
    },
    listPage: {
      "default (7 days, newest first)": await time(list({})),
      "all time, sorted by tokens": await time(list({ range: "all", sort: "tokens" })),
      "words + state filter": await time(list({ q: "refund", state: "succeeded,failed", range: "all" })),
      "page 100 of all time": await time(list({ range: "all", page: "100" })),
    },
  };
}

async function main() {
  const machine = {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`,
    node: process.version,
    load1m: os.loadavg()[0]?.toFixed(2),
  };
  const command = `npx tsx --conditions=react-server bench/find/run.ts ${process.argv.slice(2).join(" ")}`.trim();
  const pglite = await openPglite(undefined);
  let embedded;
  try {
    await runMigrations(pglite);
    embedded = await bench(pglite);
  } finally {
    await pglite.close();
  }
  const postgres = smoke
    ? null
    : await withScratchDatabase(serverUrl, { prefix: "fd_bench_find", poolSize: 4 }, (handle) => bench(handle));
  const report = { command, machine, at: new Date().toISOString(), pglite: embedded, postgres };
  console.log(JSON.stringify(report, null, 2));
  if (!smoke) writeFileSync(path.join(import.meta.dirname, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
