import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { createRun } from "@/lib/runtime/create-run";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import type { TestDatabase } from "@/tests/helpers/db";
import { eventually, operator, runtimeDatabase } from "@/tests/runtime/helpers";
import { killAll, spawnWorker, type WorkerChild } from "@/tests/runtime/processes";

const TURN_MS = 150;
const SLOTS = 2;
const A_RUNS = 200;
const B_RUNS = 8;

/**
 * Fair share across instances on real Postgres: two worker processes share an endpoint of
 * 2 slots. Tenant A queues 200 runs first; tenant B then sends one run every 400 ms. FIFO
 * would make each B run wait for A's whole backlog (200 × 150 ms / 2 slots = 15 s); with
 * the fair-share claim a B run waits for a slot to free, about one turn.
 */
describe.runIf(!!process.env.TEST_DATABASE_URL)("fair share with two worker processes (Postgres)", () => {
  let handle: TestDatabase;
  const children: WorkerChild[] = [];
  beforeAll(async () => {
    handle = await runtimeDatabase();
    await syncModelEndpoints(handle.db, [{ name: "default", provider: "test", model: "test", maxConcurrency: SLOTS }]);
  });
  afterAll(async () => {
    await killAll(children.splice(0));
    await handle.drop();
  });

  it("keeps tenant B's waits bounded under tenant A's burst", async () => {
    await handle.db.transaction(async (tx) => {
      for (let i = 0; i < A_RUNS; i++) {
        await createRun(tx, {
          jobId: "scripted",
          input: { turns: 1, turnMs: TURN_MS },
          trigger: { kind: "manual" },
          actor: operator,
          fairShareKey: "tenant-a",
        });
      }
    });
    const url = handle.url ?? "";
    children.push(spawnWorker(url, "proc-1", { "lease-ms": 10_000, concurrency: 2, quiet: "yes" }));
    children.push(spawnWorker(url, "proc-2", { "lease-ms": 10_000, concurrency: 2, quiet: "yes" }));
    // Let A's burst get going on both workers before B arrives.
    await eventually(
      async () => rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from turns`))[0]?.n ?? 0,
      (n) => n >= 10,
      60_000,
    );
    for (let i = 0; i < B_RUNS; i++) {
      await handle.db.transaction((tx) =>
        createRun(tx, {
          jobId: "scripted",
          input: { turns: 1, turnMs: TURN_MS },
          trigger: { kind: "manual" },
          actor: operator,
          fairShareKey: "tenant-b",
        }),
      );
      await new Promise((r) => setTimeout(r, 400));
    }
    const waits = await eventually(
      async () =>
        rowsOf<{ wait_ms: number; a_left: number }>(
          await handle.db.execute(sql`
            select extract(epoch from (t.started_at - r.created_at)) * 1000 as wait_ms,
              (select count(*) from runs where fair_group = 'tenant-a' and state = 'queued')::int as a_left
            from runs r join turns t on t.run_id = r.id where r.fair_group = 'tenant-b'`),
        ),
      (rows) => rows.length >= B_RUNS,
      60_000,
    );
    const worst = Math.max(...waits.map((w) => Number(w.wait_ms)));
    // A's burst was still queued when B was served: B did not wait behind it.
    expect(Math.min(...waits.map((w) => Number(w.a_left)))).toBeGreaterThan(50);
    // Bound: one turn for a slot to free, plus claim and checkpoint overhead on a busy machine.
    expect(worst).toBeLessThan(TURN_MS + 2_500);
    // Both workers served B or A: the arbitration held across processes.
    const byWorker = rowsOf<{ worker_id: string }>(await handle.db.execute(sql`select distinct worker_id from turns`));
    expect(byWorker.map((w) => w.worker_id).sort()).toEqual(["proc-1", "proc-2"]);
  });
});
