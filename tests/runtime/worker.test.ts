import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@/lib/runtime/log";
import { unconfiguredExecutor } from "@/lib/runtime/executor-registry";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import type { TurnExecutor } from "@/lib/runtime/turn-executor";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor } from "./fixtures/deterministic-executor";
import { auditActionsFor, getRun, newRun, runtimeDatabase, turnsOf, waitForState } from "./helpers";

let handle: TestDatabase;
const workers: Worker[] = [];

beforeAll(async () => {
  handle = await runtimeDatabase();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});
afterAll(async () => {
  await handle.drop();
});

async function worker(
  executor: TurnExecutor = deterministicExecutor(),
  extra: { leaseMs?: number; concurrency?: number; endpoints?: string[]; housekeeping?: boolean } = {},
) {
  const w = await startWorker({
    handle,
    executor,
    workerId: `w${workers.length + 1}`,
    concurrency: extra.concurrency ?? 4,
    pollIntervalMs: 200,
    leaseMs: extra.leaseMs ?? 5_000,
    endpoints: extra.endpoints,
    housekeeping: extra.housekeeping,
    logger: silentLogger,
  });
  workers.push(w);
  return w;
}

describe("worker", () => {
  it("runs a multi-turn run to success, checkpointing each turn and resuming from the history", async () => {
    const executor = deterministicExecutor();
    await worker(executor);
    const { id, state } = await newRun(handle.db, "scripted", { turns: 3, tokensPerTurn: 10 });
    expect(state).toBe("queued");
    const run = await waitForState(handle.db, id, ["succeeded", "failed"]);
    expect(run).toMatchObject({ state: "succeeded", turnsUsed: 3, tokensUsed: 30, attempt: 1, output: { turns: 3 } });
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(run.leaseToken).toBeNull();
    const turns = await turnsOf(handle.db, id);
    expect(turns.map((t) => [t.index, t.status, t.inputTokens + t.outputTokens])).toEqual([
      [0, "completed", 10],
      [1, "completed", 10],
      [2, "completed", 10],
    ]);
    expect(turns[2]?.messagesOut).toEqual([{ role: "assistant", content: "did 2" }]);
    expect(executor.calls.filter((c) => c.runId === id).map((c) => c.historyLength)).toEqual([0, 2, 4]);
    expect(await auditActionsFor(handle.db, id)).toEqual([
      "run.created",
      "run.running",
      "turn.completed",
      "turn.completed",
      "turn.completed",
      "run.succeeded",
    ]);
  });

  it("fails a run on its token budget and on its turn budget (maxTurns)", async () => {
    await worker();
    const tokens = await newRun(handle.db, "tight-budget", { turns: 10, tokensPerTurn: 10 });
    const turns = await newRun(handle.db, "few-turns", { turns: 10 });
    const byTokens = await waitForState(handle.db, tokens.id, ["failed", "succeeded"]);
    expect(byTokens).toMatchObject({ state: "failed", stateReason: "budget", turnsUsed: 3, tokensUsed: 30 });
    expect(byTokens.error).toContain("token budget");
    const byTurns = await waitForState(handle.db, turns.id, ["failed", "succeeded"]);
    expect(byTurns).toMatchObject({ state: "failed", stateReason: "budget", turnsUsed: 2, budgetTurns: 2 });
    expect(byTurns.error).toContain("turn budget");
  });

  it("times a run out on its wall clock: the turn in flight is aborted at the deadline", async () => {
    await worker();
    const { id } = await newRun(handle.db, "short-clock", { turns: 10, turnMs: 10_000 });
    const run = await waitForState(handle.db, id, ["timed_out", "succeeded", "failed"]);
    expect(run).toMatchObject({ state: "timed_out", stateReason: "wall_clock", turnsUsed: 0 });
    expect((await turnsOf(handle.db, id)).map((t) => t.status)).toEqual(["aborted"]);
  });

  it("times a run out at the turn boundary when a turn outlived the deadline regardless", async () => {
    await worker();
    const { id } = await newRun(handle.db, "short-clock", { turns: 10, turnMs: 2_000, ignoreAbort: true });
    const run = await waitForState(handle.db, id, ["timed_out", "succeeded", "failed"]);
    expect(run).toMatchObject({ state: "timed_out", stateReason: "wall_clock", turnsUsed: 1 });
    expect((await turnsOf(handle.db, id)).map((t) => t.status)).toEqual(["completed"]);
  });

  it("times out a run sitting idle (waiting) past its wall clock via the sweep", async () => {
    await worker();
    const { id } = await newRun(handle.db, "short-clock", { turns: 3, waitAt: 0 });
    const waiting = await waitForState(handle.db, id, ["waiting"]);
    expect(waiting).toMatchObject({ stateReason: "signal:go", waitingFor: "go" });
    const run = await waitForState(handle.db, id, ["timed_out"], 10_000);
    expect(run.stateReason).toBe("wall_clock");
  });

  it("a turn that must wait for a resource waits, is woken (no limit configured on it: at once), and asks again", async () => {
    const executor = deterministicExecutor();
    await worker(executor);
    const { id } = await newRun(handle.db, "scripted", { turns: 2, waitAt: 0, waitReason: "resource" });
    const done = await waitForState(handle.db, id, ["succeeded", "failed"]);
    expect(done).toMatchObject({ state: "succeeded", turnsUsed: 2 });
    const actions = await auditActionsFor(handle.db, id);
    expect(actions).toContain("run.waiting");
    expect(actions.indexOf("run.queued")).toBeGreaterThan(actions.indexOf("run.waiting"));
  });

  it("fails the run with reason error when a turn throws, and with the executor's reason on fail", async () => {
    await worker();
    const thrown = await newRun(handle.db, "scripted", { turns: 3, throwAt: 1 });
    const failed = await newRun(handle.db, "scripted", { turns: 3, failAt: 0 });
    const a = await waitForState(handle.db, thrown.id, ["failed", "succeeded"]);
    expect(a).toMatchObject({ state: "failed", stateReason: "error", error: "boom at turn 1", turnsUsed: 1 });
    expect((await turnsOf(handle.db, thrown.id)).map((t) => t.status)).toEqual(["completed", "failed"]);
    const b = await waitForState(handle.db, failed.id, ["failed", "succeeded"]);
    expect(b).toMatchObject({ state: "failed", stateReason: "tool_error", error: "failed at 0" });
  });

  it("stores a thrown error's text with secrets redacted on the turn and the run", async () => {
    const leaky: TurnExecutor = {
      async execute() {
        throw new Error("provider said: invalid Authorization: Bearer sk-live-abcdefghijklmnopqrstuvwxyz");
      },
    };
    await worker(leaky);
    const { id } = await newRun(handle.db, "scripted", {});
    const run = await waitForState(handle.db, id, ["failed", "succeeded"]);
    expect(run).toMatchObject({
      state: "failed",
      stateReason: "error",
      error: "provider said: invalid Authorization: Bearer [REDACTED]",
    });
    expect((await turnsOf(handle.db, id)).map((t) => t.error)).toEqual([run.error]);
  });

  it("without a configured executor, fails turns clearly instead of pretending", async () => {
    await worker(unconfiguredExecutor);
    const { id } = await newRun(handle.db, "scripted", {});
    const run = await waitForState(handle.db, id, ["failed", "succeeded"]);
    expect(run).toMatchObject({ state: "failed", stateReason: "error", error: "no turn executor configured" });
  });

  it("never exceeds a model endpoint's max concurrency across three workers", async () => {
    const { syncModelEndpoints } = await import("@/lib/runtime/model-endpoints");
    await syncModelEndpoints(handle.db, [{ name: "narrow", provider: "test", model: "test", maxConcurrency: 2 }]);
    const executor = deterministicExecutor();
    for (let i = 0; i < 3; i++) await worker(executor, { concurrency: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await newRun(handle.db, "other-endpoint", { turns: 2, turnMs: 60 })).id);
    let maxLive = 0;
    let sawResourceReason = false;
    const { sql } = await import("drizzle-orm");
    const { rowsOf } = await import("@/db/rows");
    for (;;) {
      const [row] = rowsOf<{ live: number; done: number; resource: number }>(
        await handle.db.execute(sql`
          select
            (select count(*) from runs where model_endpoint = 'narrow' and lease_token is not null and lease_expires_at > now())::int as live,
            (select count(*) from runs where model_endpoint = 'narrow' and state = 'succeeded')::int as done,
            (select count(*) from runs where model_endpoint = 'narrow' and state_reason = 'resource:narrow')::int as resource`),
      );
      maxLive = Math.max(maxLive, Number(row?.live ?? 0));
      if (Number(row?.resource ?? 0) > 0) sawResourceReason = true;
      if (Number(row?.done ?? 0) >= ids.length) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(maxLive).toBe(2);
    // Sampling can miss a moment; the turns' own intervals cannot: at no turn's start were
    // more than two turns of that endpoint in flight.
    const [overlap] = rowsOf<{ max: number }>(
      await handle.db.execute(sql`
        select coalesce(max(c), 0)::int as max from (
          select a.id, count(*) as c
          from turns a join runs ra on ra.id = a.run_id and ra.model_endpoint = 'narrow'
          join turns b on b.started_at <= a.started_at and b.finished_at > a.started_at
          join runs rb on rb.id = b.run_id and rb.model_endpoint = 'narrow'
          group by a.id) x`),
    );
    expect(Number(overlap?.max)).toBeLessThanOrEqual(2);
    expect(sawResourceReason).toBe(true);
    for (const id of ids) expect((await getRun(handle.db, id)).stateReason).toBeNull();
  });

  it("claims only runs of the endpoints it was given; a run no worker can call waits untouched", async () => {
    const { syncModelEndpoints } = await import("@/lib/runtime/model-endpoints");
    const { sql } = await import("drizzle-orm");
    const { rowsOf } = await import("@/db/rows");
    const { sqlTextArray } = await import("@/db/text-array");
    await syncModelEndpoints(handle.db, [{ name: "narrow", provider: "test", model: "test", maxConcurrency: 2 }]);
    const onDefault = await worker(deterministicExecutor(), { endpoints: ["default"] });
    const narrow = [
      (await newRun(handle.db, "other-endpoint", { turns: 2 })).id,
      (await newRun(handle.db, "other-endpoint", { turns: 2 })).id,
    ];
    const plain = [
      (await newRun(handle.db, "scripted", { turns: 2 })).id,
      (await newRun(handle.db, "scripted", {})).id,
    ];
    for (const id of plain)
      expect((await waitForState(handle.db, id, ["succeeded", "failed"])).state).toBe("succeeded");
    // Two sweeps and several claim rounds later, the narrow runs are untouched: queued, no turn, no reason.
    await new Promise((r) => setTimeout(r, 600));
    for (const id of narrow) {
      expect(await getRun(handle.db, id)).toMatchObject({ state: "queued", stateReason: null, turnsUsed: 0 });
      expect(await turnsOf(handle.db, id)).toEqual([]);
    }
    const onNarrow = await worker(deterministicExecutor(), { endpoints: ["narrow"] });
    for (const id of narrow)
      expect((await waitForState(handle.db, id, ["succeeded", "failed"])).state).toBe("succeeded");
    const byWorker = rowsOf<{ endpoint: string; worker: string }>(
      await handle.db.execute(sql`
        select distinct r.model_endpoint as endpoint, t.worker_id as worker from turns t join runs r on r.id = t.run_id
        where r.id = any(${sqlTextArray([...narrow, ...plain])})
        order by 1, 2`),
    );
    expect(byWorker).toEqual([
      { endpoint: "default", worker: onDefault.id },
      { endpoint: "narrow", worker: onNarrow.id },
    ]);
  });

  it("sweeps every run's budget, but wakes resource waits of its endpoint set only; a guest worker sweeps only its set", async () => {
    const { sql } = await import("drizzle-orm");
    // Two runs past their wall clock, waiting (for an approval, say), one per endpoint; two resource waits on a
    // quota no process here configures ("no limit configured": requeued at once by whoever looks), one per endpoint.
    const park = async (job: string, how: ReturnType<typeof sql>) => {
      const { id } = await newRun(handle.db, job, { turns: 1 });
      await handle.db.execute(
        sql`update runs set state = 'waiting', started_at = now(), updated_at = now() where id = ${id}`,
      );
      await handle.db.execute(sql`update runs set ${how} where id = ${id}`);
      return id;
    };
    const overdue = sql`started_at = now() - interval '1 hour', budget_wall_clock_ms = 1000, state_reason = 'approval'`;
    const overdueDefault = await park("scripted", overdue);
    const overdueNarrow = await park("other-endpoint", overdue);
    const quotaDefault = await park("scripted", sql`state_reason = 'resource', waiting_for = 'tool:elsewhere'`);
    const quotaNarrow = await park("other-endpoint", sql`state_reason = 'resource', waiting_for = 'tool:elsewhere'`);
    const stateOf = async (id: string) => (await getRun(handle.db, id)).state;
    // A guest on narrow: narrow's overdue run times out, its quota wait is woken; default's runs are left alone.
    await worker(deterministicExecutor(), { endpoints: ["narrow"], housekeeping: false, concurrency: 1 });
    await waitForState(handle.db, overdueNarrow, ["timed_out"]);
    expect(await stateOf(quotaNarrow)).not.toBe("waiting");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await stateOf(overdueDefault)).toBe("waiting");
    expect(await stateOf(quotaDefault)).toBe("waiting");
    // A deployment worker on narrow: default's overdue run times out (a budget is the run's own), but default's
    // quota wait is not its to end.
    await worker(deterministicExecutor(), { endpoints: ["narrow"], concurrency: 1 });
    await waitForState(handle.db, overdueDefault, ["timed_out"]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await stateOf(quotaDefault)).toBe("waiting");
  });

  it("hands a finished turn's slot to the next turn in its checkpoint, at most MAX_HANDOFFS times in a row, never over the limit", async () => {
    const { syncModelEndpoints } = await import("@/lib/runtime/model-endpoints");
    const { MAX_HANDOFFS } = await import("@/lib/runtime/claim");
    await syncModelEndpoints(handle.db, [{ name: "narrow", provider: "test", model: "test", maxConcurrency: 1 }]);
    const handed: { runId: string; handoffs: number }[] = [];
    const w = await startWorker({
      handle,
      executor: deterministicExecutor(),
      workerId: "handoff",
      concurrency: 2,
      pollIntervalMs: 200,
      leaseMs: 5_000,
      logger: (_level, message, fields) => {
        if (message === "slot handed over")
          handed.push({ runId: String(fields?.runId), handoffs: Number(fields?.handoffs) });
      },
    });
    workers.push(w);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await newRun(handle.db, "other-endpoint", { turns: 6, turnMs: 5 })).id);
    for (const id of ids) await waitForState(handle.db, id, ["succeeded"]);
    // 18 turns through one slot: chains of up to MAX_HANDOFFS handed-over turns, each after a claimed one.
    expect(handed.length).toBeGreaterThanOrEqual(18 - Math.ceil(18 / (MAX_HANDOFFS + 1)) - 2);
    expect(Math.max(...handed.map((h) => h.handoffs))).toBeLessThanOrEqual(MAX_HANDOFFS);
    expect(new Set(handed.map((h) => h.runId)).size).toBeGreaterThan(1);
    const { sql } = await import("drizzle-orm");
    const { rowsOf } = await import("@/db/rows");
    const inRuns = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const [overlap] = rowsOf<{ n: number }>(
      await handle.db.execute(sql`
        select count(*)::int as n from turns a join turns b on a.id <> b.id
          and b.started_at < a.finished_at and a.started_at < b.finished_at
        where a.run_id in (${inRuns}) and b.run_id in (${inRuns})`),
    );
    expect(Number(overlap?.n)).toBe(0);
  });

  it("a turn handed over to the same run is in flight like any other (a hard cancel reaches it)", async () => {
    const { syncModelEndpoints } = await import("@/lib/runtime/model-endpoints");
    await syncModelEndpoints(handle.db, [{ name: "narrow", provider: "test", model: "test", maxConcurrency: 1 }]);
    const w = await worker(deterministicExecutor(), { concurrency: 1 });
    const { id } = await newRun(handle.db, "other-endpoint", { turns: 6, turnMs: 150 });
    let seen = 0;
    for (let i = 0; i < 200; i++) {
      const run = await getRun(handle.db, id);
      if (run.turnsUsed >= 2 && run.turnsUsed < 5) seen = Math.max(seen, w.activeTurns);
      if (run.turnsUsed >= 5 || run.state === "succeeded") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toBe(1);
    await waitForState(handle.db, id, ["succeeded"]);
  });
});
