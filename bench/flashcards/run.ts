/**
 * Flashcards benchmark on real Postgres (results: bench/flashcards/RESULTS.md, docs/PERFORMANCE.md):
 *   npx tsx --conditions=react-server bench/flashcards/run.ts [--url=postgres://…/postgres]
 *     [--cards=10000] [--loads=20] [--decisions=100] [--turns=400] [--smoke]
 * 1. queue page data with N open cards: what /flashcards reads before it renders — the first
 *    200 open cards, the open count and the first card's detail (run excerpt, budget curve).
 * 2. decision → next: one decision (half dismissals of information cards, half approvals
 *    of approve-run runs, each moving its run) then the next card's detail.
 * 3. detection cost per turn: the detectors a checkpoint runs (pure, no query unless a card
 *    is raised) against the runtime's own cost of a no-op turn (claim, checkpoint, audit)
 *    measured on the same database with a worker draining single-turn runs.
 * --smoke: tiny sizes, for CI.
 */
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { setDatabase, type DatabaseHandle } from "@/db/client";
import { flashcards, runs } from "@/db/schema";
import { systemPrincipal, type Principal } from "@/lib/audit";
import { decideFlashcard, detectBudget, getFlashcard, listFlashcards, TokenNorms } from "@/lib/flashcards";
import { defineJob, loadJobRegistry } from "@/lib/jobs";
import { createRun, startWorker, syncModelEndpoints } from "@/lib/runtime";
import { benchJob } from "../dispatch/bench-job";
import { noopExecutor } from "../dispatch/noop-executor";
import { withScratchDatabase } from "../scratch-database";

const smoke = process.argv.includes("--smoke");
const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split("=")[1]) : fallback;
};
const serverUrl =
  process.argv.find((a) => a.startsWith("--url="))?.slice(6) ?? "postgres://postgres@127.0.0.1:5432/postgres";
const cardCount = arg("cards", smoke ? 300 : 10_000);
const loads = arg("loads", smoke ? 3 : 20);
const decisions = arg("decisions", smoke ? 10 : 100);
const turnRuns = arg("turns", smoke ? 40 : 400);

const approveJob = defineJob({
  ...benchJob,
  id: "bench-approve",
  title: "Approval benchmark",
  input: z.object({}),
  governance: { ...benchJob.governance, humanOversight: "approve-run" },
});
const lead: Principal = { kind: "user", id: "bench-lead", label: "lead@bench", role: "lead" };

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const r = (v: number) => Math.round(v * 10) / 10;
  return { p50: r(q(0.5)), p95: r(q(0.95)), max: r(sorted.at(-1) ?? 0), n: sorted.length };
}

async function seedCards(handle: DatabaseHandle, n: number) {
  // Information cards of every detector kind, spread over jobs and a day of last-seen times.
  await handle.db.execute(sql`
    insert into flashcards (id, fingerprint, kind, severity, title, why, job_id, details, first_seen_at, last_seen_at)
    select 'fc_seed_' || g, 'seed:' || g,
      (array['budget','failures','policy','stuck','anomaly','notice'])[1 + g % 6],
      (array['info','warning','critical'])[1 + g % 3],
      'Seeded card ' || g, 'A seeded card for the benchmark.', 'job-' || (g % 40),
      jsonb_build_object('n', g), now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
    from generate_series(1, ${n}) as g`);
}

async function run() {
  await withScratchDatabase(serverUrl, { prefix: "i13_fcbench", poolSize: 8 }, async (handle) => {
    setDatabase(handle);
    const db = handle.db;
    await loadJobRegistry(db, [benchJob, approveJob]);
    await syncModelEndpoints(db, [{ name: "default", provider: "test", model: "noop", maxConcurrency: 64 }]);

    // Approval cards (real runs waiting on approve-run), then N information cards.
    const actor = systemPrincipal("bench", "flashcards bench");
    for (let i = 0; i < Math.ceil(decisions / 2) + 1; i++) {
      await db.transaction((tx) =>
        createRun(tx, { jobId: approveJob.id, input: {}, trigger: { kind: "manual" }, actor }),
      );
    }
    await seedCards(handle, cardCount);
    await db.execute(sql`analyze flashcards`);
    const open = (await listFlashcards(db, { state: "open", limit: 1 })).openCount;

    // 1. The queue page's data.
    const page: number[] = [];
    for (let i = 0; i < loads; i++) {
      const t0 = performance.now();
      const first = await listFlashcards(db, { state: "open", limit: 200 });
      const id = first.cards[0]?.id;
      if (id) await getFlashcard(db, id);
      page.push(performance.now() - t0);
    }

    // 2. Decision → next card's detail.
    const approvalCards = await db
      .select({ id: flashcards.id })
      .from(flashcards)
      .where(eq(flashcards.kind, "approval"));
    const infoCards = (await listFlashcards(db, { state: "open", kind: "budget", limit: 200 })).cards.map((c) => c.id);
    const decide: number[] = [];
    const approve: number[] = [];
    for (let i = 0; i < decisions; i++) {
      const useApproval = i % 2 === 1 && approvalCards.length > 0;
      const cardId = useApproval ? approvalCards.pop()?.id : infoCards.shift();
      const nextId = infoCards[0];
      if (!cardId || !nextId) break;
      const t0 = performance.now();
      await decideFlashcard(db, cardId, useApproval ? { decision: "approve" } : { decision: "dismiss" }, lead);
      await getFlashcard(db, nextId);
      const ms = performance.now() - t0;
      (useApproval ? approve : decide).push(ms);
    }

    // 3. Detection per turn vs the runtime's cost of a turn.
    const norms = new TokenNorms();
    const before = {
      id: "r",
      jobId: "bench",
      tokensUsed: 100,
      turnsUsed: 1,
      budgetTokens: 100_000,
      budgetTurns: 100,
      budgetWallClockMs: 3_600_000,
      startedAt: new Date(),
    };
    const iterations = smoke ? 10_000 : 200_000;
    const d0 = performance.now();
    for (let i = 0; i < iterations; i++) {
      detectBudget(before, { ...before, tokensUsed: 200 + (i % 50), turnsUsed: 2 }, Date.now() - 100, Date.now());
      norms.observe({ runId: "r", jobId: `bench-${i % 8}`, turnIndex: i, tokens: 400 + (i % 97) });
    }
    const detectUs = ((performance.now() - d0) * 1000) / iterations;

    for (let i = 0; i < turnRuns; i++) {
      await db.transaction((tx) =>
        createRun(tx, { jobId: benchJob.id, input: { turns: 1 }, trigger: { kind: "manual" }, actor }),
      );
    }
    const w0 = performance.now();
    const worker = await startWorker({
      handle,
      executor: noopExecutor,
      concurrency: 4,
      pollIntervalMs: 50,
      logger: () => {},
    });
    for (;;) {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(runs)
        .where(sql`${runs.jobId} = ${benchJob.id} and ${runs.state} <> 'succeeded'`);
      if (Number(row?.n ?? 1) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const turnMs = (performance.now() - w0) / turnRuns;
    await worker.stop();

    const results = {
      date: new Date().toISOString(),
      smoke,
      openCards: open,
      queuePageDataMs: stats(page),
      dismissThenNextMs: stats(decide),
      approveThenNextMs: stats(approve),
      detectorsPerTurnUs: Math.round(detectUs * 100) / 100,
      wallMsPerTurn4Handlers: Math.round(turnMs * 100) / 100,
      detectionShareOfTurn: `${((detectUs / 1000 / turnMs) * 100).toFixed(3)}%`,
    };
    console.log(JSON.stringify(results, null, 2));
    const failures: string[] = [];
    if (results.queuePageDataMs.p95 >= 1000) failures.push("queue page data p95 ≥ 1 s");
    if (results.dismissThenNextMs.p95 >= 150) failures.push("dismiss → next p95 ≥ 150 ms");
    if (detectUs / 1000 / turnMs >= 0.05) failures.push("detection ≥ 5% of a turn");
    if (failures.length > 0) {
      console.error(`targets missed: ${failures.join("; ")}`);
      process.exitCode = 1;
    }
  });
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
