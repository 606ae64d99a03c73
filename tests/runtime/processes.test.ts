import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { auditEvents, turns } from "@/db/schema";
import type { TestDatabase } from "@/tests/helpers/db";
import { auditActionsFor, getRun, newRun, runtimeDatabase, turnsOf, waitForState } from "./helpers";
import { killAll, spawnWorker, type WorkerChild } from "./processes";

/**
 * Real worker processes against real Postgres: killed with SIGKILL mid-turn, frozen with
 * SIGSTOP past their lease. PGlite is single-process, so these run in the Postgres pass.
 */
describe.runIf(!!process.env.TEST_DATABASE_URL)("recovery with real worker processes (Postgres)", () => {
  let handle: TestDatabase;
  const children: WorkerChild[] = [];
  beforeAll(async () => {
    handle = await runtimeDatabase();
  });
  afterEach(async () => {
    await killAll(children.splice(0));
  });
  afterAll(async () => {
    await handle.drop();
  });

  const url = () => handle.url ?? "";
  const turnStarted = (runId: string, turnIndex: number) => (l: Record<string, unknown>) =>
    l.msg === "turn started" && l.runId === runId && l.turnIndex === turnIndex;

  it("a worker killed mid-turn: another resumes from the last checkpoint with attempt + 1", async () => {
    const { id } = await newRun(handle.db, "scripted", { turns: 3, turnMs: 1500 });
    const a = spawnWorker(url(), "A", { "lease-ms": 2000 });
    children.push(a);
    await a.waitForLine(turnStarted(id, 1), 60_000);
    a.child.kill("SIGKILL");
    await a.exited;

    const b = spawnWorker(url(), "B", { "lease-ms": 2000 });
    children.push(b);
    const run = await waitForState(handle.db, id, ["succeeded", "failed"], 60_000);
    expect(run).toMatchObject({ state: "succeeded", attempt: 2, turnsUsed: 3 });
    const rows = await turnsOf(handle.db, id);
    expect(rows.map((t) => [t.index, t.attempt, t.status, t.workerId])).toEqual([
      [0, 1, "completed", "A"],
      [1, 1, "aborted", "A"],
      [1, 2, "completed", "B"],
      [2, 2, "completed", "B"],
    ]);
    // B re-executed the turn in flight with the conversation checkpointed by A.
    const resumed = await b.waitForLine(turnStarted(id, 1));
    expect(resumed).toMatchObject({ attempt: 2, historyLength: 2 });
    const [recovered] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, "run.recovered")));
    expect(recovered?.payload).toMatchObject({ previousOwner: "A", attempt: 2 });
  });

  it("a stale worker (SIGSTOP past its lease, then SIGCONT) cannot write anything for the run", async () => {
    const { id } = await newRun(handle.db, "scripted", { turns: 2, turnMs: 1500 });
    const stale = spawnWorker(url(), "stale", { "lease-ms": 2000 });
    children.push(stale);
    await stale.waitForLine(turnStarted(id, 0), 60_000);
    stale.child.kill("SIGSTOP");

    const fresh = spawnWorker(url(), "fresh", { "lease-ms": 2000 });
    children.push(fresh);
    await waitForState(handle.db, id, ["succeeded", "failed"], 60_000);
    const before = {
      run: await getRun(handle.db, id),
      turns: await turnsOf(handle.db, id),
      audit: await auditActionsFor(handle.db, id),
      total: (await handle.db.select({ n: count() }).from(auditEvents))[0]?.n,
    };
    expect(before.run).toMatchObject({ state: "succeeded", attempt: 2 });

    stale.child.kill("SIGCONT");
    await stale.waitForLine(
      (l) => typeof l.msg === "string" && l.msg.startsWith("lease lost") && l.runId === id,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await getRun(handle.db, id)).toEqual(before.run);
    expect(await turnsOf(handle.db, id)).toEqual(before.turns);
    expect(await auditActionsFor(handle.db, id)).toEqual(before.audit);
    expect((await handle.db.select({ n: count() }).from(auditEvents))[0]?.n).toBe(before.total);
    // One completed turn per index; the stale attempt's turn stays aborted.
    const perIndex = rowsOf<{ index: number; completed: number }>(
      await handle.db.execute(sql`
        select index, count(*) filter (where status = 'completed')::int as completed
        from turns where run_id = ${id} group by index order by index`),
    );
    expect(perIndex).toEqual([
      { index: 0, completed: 1 },
      { index: 1, completed: 1 },
    ]);
    expect(before.turns.find((t) => t.workerId === "stale")).toMatchObject({ index: 0, attempt: 1, status: "aborted" });
    const staleCompleted = await handle.db
      .select({ n: count() })
      .from(turns)
      .where(and(eq(turns.runId, id), eq(turns.workerId, "stale"), eq(turns.status, "completed")));
    expect(staleCompleted[0]?.n).toBe(0);
  });
});
