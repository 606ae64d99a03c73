import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { auditEvents, turns } from "@/db/schema";
import { checkpointTurn } from "@/lib/runtime/checkpoint";
import { systemPrincipal } from "@/lib/audit";
import { claimNextRun, type ClaimedTurn } from "@/lib/runtime/claim";
import { cancelRun } from "@/lib/runtime/controls";
import { turnContextFor } from "@/lib/runtime/execute-turn";
import { renewLease } from "@/lib/runtime/lease";
import { silentLogger } from "@/lib/runtime/log";
import type { TurnResult } from "@/lib/runtime/turn-executor";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor } from "./fixtures/deterministic-executor";
import { getRun, newRun, runtimeDatabase, turnsOf, waitForState } from "./helpers";

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

const noop = deterministicExecutor();
const contextFor = (claim: ClaimedTurn) =>
  turnContextFor(claim, new AbortController().signal, new Date(Date.now() + 60_000));
const result = (i: number): TurnResult => ({
  model: "manual",
  messagesIn: [{ role: "user", content: `step ${i}` }],
  messagesOut: [{ role: "assistant", content: `did ${i}` }],
  toolCalls: [],
  usage: { inputTokens: 1, outputTokens: 1 },
  outcome: { kind: "continue" },
});

async function auditCount() {
  const [row] = await handle.db.select({ n: count() }).from(auditEvents);
  return row?.n ?? 0;
}

describe("recovery and fencing (single process)", () => {
  it("resumes a run whose worker vanished mid-turn from its last checkpoint, and fences the stale worker", async () => {
    const { id } = await newRun(handle.db, "scripted", { turns: 3 });
    // A worker that completes turn 0, claims turn 1 and then disappears.
    const first = await claimNextRun(handle.db, { workerId: "doomed", leaseMs: 1_000 });
    expect(first?.run.id).toBe(id);
    if (!first) return;
    expect(
      await checkpointTurn(handle.db, {
        claim: first,
        workerId: "doomed",
        executor: noop,
        context: contextFor(first),
        end: { kind: "result", result: result(0) },
      }),
    ).toBe("applied");
    const stale = await claimNextRun(handle.db, { workerId: "doomed", leaseMs: 1_000 });
    expect(stale).toMatchObject({ turnIndex: 1, attempt: 1 });
    if (!stale) return;

    const executor = deterministicExecutor();
    workers.push(
      await startWorker({
        handle,
        executor,
        workerId: "rescuer",
        pollIntervalMs: 100,
        leaseMs: 5_000,
        logger: silentLogger,
      }),
    );
    const done = await waitForState(handle.db, id, ["succeeded", "failed"], 15_000);
    expect(done).toMatchObject({ state: "succeeded", attempt: 2, turnsUsed: 3 });
    // The rescuer re-ran turn 1 with the history of turn 0 only.
    expect(executor.calls.map((c) => [c.turnIndex, c.attempt, c.historyLength])).toEqual([
      [1, 2, 2],
      [2, 2, 4],
    ]);
    const rows = await turnsOf(handle.db, id);
    expect(rows.map((t) => [t.index, t.attempt, t.status, t.workerId])).toEqual([
      [0, 1, "completed", "doomed"],
      [1, 1, "aborted", "doomed"],
      [1, 2, "completed", "rescuer"],
      [2, 2, "completed", "rescuer"],
    ]);
    const [recovered] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "run.recovered"));
    expect(recovered?.payload).toMatchObject({ previousOwner: "doomed", attempt: 2 });

    // The stale worker wakes up: its heartbeat and its checkpoint change nothing.
    const before = { audit: await auditCount(), run: await getRun(handle.db, id), turns: await turnsOf(handle.db, id) };
    expect(await renewLease(handle.db, id, stale.leaseToken, 1_000)).toEqual({ held: false, abortRequested: false });
    const late = await checkpointTurn(handle.db, {
      claim: stale,
      workerId: "doomed",
      executor: noop,
      context: contextFor(stale),
      end: { kind: "result", result: { ...result(1), outcome: { kind: "complete", output: "stale" } } },
    });
    expect(late).toBe("lost");
    expect(await auditCount()).toBe(before.audit);
    expect(await getRun(handle.db, id)).toEqual(before.run);
    expect(await turnsOf(handle.db, id)).toEqual(before.turns);
    const completedPerIndex = await handle.db
      .select({ index: turns.index, n: count() })
      .from(turns)
      .where(and(eq(turns.runId, id), eq(turns.status, "completed")))
      .groupBy(turns.index)
      .orderBy(turns.index);
    expect(completedPerIndex).toEqual([
      { index: 0, n: 1 },
      { index: 1, n: 1 },
      { index: 2, n: 1 },
    ]);
  });

  it("on stop(), a turn that outlives the grace period is aborted and handed back as the next attempt", async () => {
    const { id } = await newRun(handle.db, "scripted", { turns: 2, turnMs: 10_000 });
    const slow = await startWorker({
      handle,
      executor: deterministicExecutor(),
      workerId: "leaving",
      pollIntervalMs: 100,
      leaseMs: 5_000,
      shutdownGraceMs: 200,
      logger: silentLogger,
    });
    await waitForState(handle.db, id, ["running"]);
    await new Promise((r) => setTimeout(r, 200));
    await slow.stop();
    const released = await getRun(handle.db, id);
    expect(released).toMatchObject({ state: "running", leaseToken: null, attempt: 2, turnsUsed: 0 });
    expect((await turnsOf(handle.db, id)).map((t) => t.status)).toEqual(["aborted"]);
  });
  it("a claim that settles a dead worker's cancel request commits only that; the next claim takes the next run", async () => {
    // Its own database: no run left by the tests above competes for the claims.
    const own = await runtimeDatabase();
    try {
      const { id: cancelled } = await newRun(own.db, "scripted", { turns: 3 });
      const doomed = await claimNextRun(own.db, { workerId: "doomed", leaseMs: 300 });
      expect(doomed?.run.id).toBe(cancelled);
      // Cancelled mid-turn, the request waits for a boundary the dead worker never reaches.
      expect(await cancelRun(own.db, cancelled, systemPrincipal("tests"))).toMatchObject({ pending: "cancel" });
      const { id: next } = await newRun(own.db, "scripted", { turns: 1 });
      await new Promise((resolve) => setTimeout(resolve, 400));

      // The expired lease is looked at first: the claim settles it, and takes nothing more in that
      // transaction (settling locked the key's counter rows; the endpoint's lock after them could deadlock).
      expect(await claimNextRun(own.db, { workerId: "rescuer", leaseMs: 5_000 })).toBeNull();
      expect((await getRun(own.db, cancelled))?.state).toBe("cancelled");
      const claimed = await claimNextRun(own.db, { workerId: "rescuer", leaseMs: 5_000 });
      expect(claimed?.run.id).toBe(next);
    } finally {
      await own.drop();
    }
  });
});
