import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { verifyAuditChain } from "@/lib/audit/verify";
import { createRun } from "@/lib/runtime/create-run";
import { silentLogger } from "@/lib/runtime/log";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor } from "./fixtures/deterministic-executor";
import { eventually, operator, runtimeDatabase } from "./helpers";
import { killAll, spawnWorker, type WorkerChild } from "./processes";

const RUNS = 500;
const TURNS = 3;

/**
 * The scale-out proof on real Postgres: this process (the "app") plus two worker
 * processes share 500 three-turn runs. Every run succeeds, no run has two turns in
 * flight at once, turn counts match, and the audit chain verifies.
 */
describe.runIf(!!process.env.TEST_DATABASE_URL)("scale-out: app + two worker processes (Postgres)", () => {
  let handle: TestDatabase;
  let local: Worker | null = null;
  const children: WorkerChild[] = [];
  beforeAll(async () => {
    handle = await runtimeDatabase();
    await syncModelEndpoints(handle.db, [{ name: "default", provider: "test", model: "test", maxConcurrency: 12 }]);
  });
  afterAll(async () => {
    await local?.stop();
    await killAll(children.splice(0));
    await handle.drop();
  });

  it(`runs ${RUNS} runs of a ${TURNS}-turn job to success across three workers`, async () => {
    const started = Date.now();
    for (let batch = 0; batch < RUNS / 50; batch++) {
      await handle.db.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) {
          await createRun(tx, {
            jobId: "scripted",
            input: { turns: TURNS, turnMs: 2 },
            trigger: { kind: "manual" },
            actor: operator,
          });
        }
      });
    }
    const url = handle.url ?? "";
    children.push(spawnWorker(url, "proc-1", { "lease-ms": 10_000, concurrency: 4, quiet: "yes" }));
    children.push(spawnWorker(url, "proc-2", { "lease-ms": 10_000, concurrency: 4, quiet: "yes" }));
    local = await startWorker({
      handle,
      executor: deterministicExecutor(),
      workerId: "app",
      concurrency: 4,
      pollIntervalMs: 500,
      leaseMs: 10_000,
      logger: silentLogger,
    });

    const counts = await eventually(
      async () =>
        rowsOf<{ state: string; n: number }>(
          await handle.db.execute(sql`select state, count(*)::int as n from runs group by state`),
        ),
      (rows) => rows.every((r) => ["succeeded", "failed", "cancelled", "timed_out"].includes(r.state)),
      120_000,
    );
    expect(counts).toEqual([{ state: "succeeded", n: RUNS }]);

    const [usage] = rowsOf<{ bad_usage: number; completed: number; other: number }>(
      await handle.db.execute(sql`
        select
          (select count(*) from runs where turns_used <> ${TURNS} or attempt <> 1)::int as bad_usage,
          (select count(*) from turns where status = 'completed')::int as completed,
          (select count(*) from turns where status <> 'completed')::int as other`),
    );
    expect(usage).toEqual({ bad_usage: 0, completed: RUNS * TURNS, other: 0 });

    const perRun = rowsOf<{ run_id: string }>(
      await handle.db.execute(sql`
        select run_id from turns group by run_id
        having count(*) <> ${TURNS} or count(distinct index) <> ${TURNS} or min(index) <> 0 or max(index) <> ${TURNS - 1}`),
    );
    expect(perRun).toEqual([]);

    // No run ever had two turns in flight at once, on any worker.
    const overlaps = rowsOf<{ n: number }>(
      await handle.db.execute(sql`
        select count(*)::int as n from turns a join turns b
          on a.run_id = b.run_id and a.id < b.id
         and a.started_at < b.finished_at and b.started_at < a.finished_at`),
    );
    expect(overlaps[0]?.n).toBe(0);

    const byWorker = rowsOf<{ worker_id: string; n: number }>(
      await handle.db.execute(
        sql`select worker_id, count(*)::int as n from turns group by worker_id order by worker_id`,
      ),
    );
    expect(byWorker.map((w) => w.worker_id)).toEqual(["app", "proc-1", "proc-2"]);

    // The sealer integrates the last events a tick after the last run finished.
    await eventually(
      async () =>
        rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from audit_log where seq is null`)),
      (rows) => rows[0]?.n === 0,
      30_000,
    );
    const audit = await verifyAuditChain(handle.db);
    expect(audit).toMatchObject({ ok: true, firstBadSeq: null });
    expect(audit.checked).toBeGreaterThanOrEqual(RUNS * (TURNS + 3));
    console.log(
      `scale-out: ${RUNS} runs × ${TURNS} turns in ${Date.now() - started} ms; turns by worker ${JSON.stringify(byWorker)}`,
    );
  }, 180_000);
});
