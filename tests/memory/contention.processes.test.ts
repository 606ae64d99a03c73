import { eq, inArray, sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryHistory, runs } from "@/db/schema";
import { installPacks } from "@/lib/packs";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, newRun, waitFor } from "../helpers/agent-fixtures";
import { killAll, spawnWorker, type WorkerChild } from "../runtime/processes";
import { contentionJob, contentionPack } from "./fixtures/contention-pack";

/**
 * Two worker processes on real Postgres, 50 runs contending for 5 entities through
 * memory_lock: every run finishes, every write is attributed to the run that made it, and
 * the history proves mutual exclusion — each entity's writes alternate enter/exit of one
 * run at a time, with no other run's write in between.
 */
describe.runIf(!!process.env.TEST_DATABASE_URL)("shared memory contention across worker processes (Postgres)", () => {
  let handle: TestDatabase;
  const children: WorkerChild[] = [];
  beforeAll(async () => {
    handle = await createTestDatabase();
    await installJobs(handle.db, installPacks([contentionPack]));
  });
  afterAll(async () => {
    await killAll(children.splice(0));
    await handle.drop();
  });

  it("50 runs on 5 entities: all succeed, every write attributed, mutual exclusion never violated", async () => {
    const tokens = new Map<string, string>();
    for (let i = 0; i < 50; i++) {
      const token = `t${i}`;
      const id = await newRun(handle.db, contentionJob.id, { entity: `counters/c${i % 5}`, tag: token });
      tokens.set(id, token);
    }
    const script = "tests/memory/fixtures/memory-worker.ts";
    children.push(
      spawnWorker(handle.url ?? "", "W1", {}, { script }),
      spawnWorker(handle.url ?? "", "W2", {}, { script }),
    );
    const ids = [...tokens.keys()];
    const finished = await waitFor(
      "all contention runs finished",
      async () => {
        const rows = await handle.db
          .select({ id: runs.id, state: runs.state, error: runs.error })
          .from(runs)
          .where(inArray(runs.id, ids));
        return rows.every((r) => ["succeeded", "failed", "cancelled", "timed_out"].includes(r.state)) && rows;
      },
      240_000,
    );
    expect(finished.filter((r) => r.state !== "succeeded")).toEqual([]);

    const history = await handle.db
      .select()
      .from(memoryHistory)
      .where(eq(memoryHistory.collection, "counters"))
      .orderBy(memoryHistory.key, memoryHistory.version);
    expect(history).toHaveLength(100);
    for (const h of history) {
      // Attribution: the run named on the row is the run whose input carried the token it wrote.
      expect(h.runId && tokens.get(h.runId)).toBe((h.after as { holder: string }).holder);
      expect(h.toolCallKey?.startsWith(`${h.runId}:`)).toBe(true);
      expect(h.authorization).toMatchObject({ via: "job-governance", jobId: contentionJob.id });
    }
    for (let e = 0; e < 5; e++) {
      const writes = history.filter((h) => h.key === `c${e}`);
      expect(writes.map((w) => w.version)).toEqual(writes.map((_, i) => i + 1));
      for (let i = 0; i < writes.length; i += 2) {
        const enter = writes[i]?.after as { holder: string; phase: string; count: number };
        const exit = writes[i + 1]?.after as { holder: string; phase: string; count: number };
        expect([enter.phase, exit.phase]).toEqual(["enter", "exit"]);
        expect(exit.holder).toBe(enter.holder);
        // Each holder read the previous holder's count: no lost update either.
        expect(enter.count).toBe(i / 2 + 1);
      }
    }
    // Both processes did work.
    const workers = rowsOf<{ worker_id: string }>(
      await handle.db.execute(
        sql`select distinct worker_id from turns where run_id in (select id from runs where job_id = ${contentionJob.id})`,
      ),
    );
    expect(workers.map((w) => w.worker_id).sort()).toEqual(["W1", "W2"]);
  }, 300_000);
});
