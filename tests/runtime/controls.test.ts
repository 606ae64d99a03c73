import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { approvals } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { decideApproval } from "@/lib/runtime/approvals";
import { cancelRun, pauseRun, resumeRun, retryRun } from "@/lib/runtime/controls";
import { silentLogger } from "@/lib/runtime/log";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor, type DeterministicExecutor } from "./fixtures/deterministic-executor";
import {
  auditActionsFor,
  eventually,
  getRun,
  lead,
  newRun,
  operator,
  runtimeDatabase,
  turnsOf,
  waitForState,
} from "./helpers";

let handle: TestDatabase;
let executor: DeterministicExecutor;
let worker: Worker | null = null;

beforeAll(async () => {
  handle = await runtimeDatabase();
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
});
afterAll(async () => {
  await handle.drop();
});

async function startOne() {
  executor = deterministicExecutor();
  worker = await startWorker({
    handle,
    executor,
    workerId: "w",
    concurrency: 4,
    pollIntervalMs: 200,
    leaseMs: 5_000,
    logger: silentLogger,
  });
}

async function conflictOf(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  const app = error as AppError;
  expect(app.code).toBe("conflict");
  return app.details;
}

/** Waits until the run's current turn is in flight (the executor has been called for it). */
async function inFlight(runId: string, turnIndex: number) {
  await eventually(
    async () => executor.calls.some((c) => c.runId === runId && c.turnIndex === turnIndex),
    (v) => v,
  );
}

describe("operator controls without a worker", () => {
  it("pauses a queued run now, resumes it to queued, and refuses what the state does not allow", async () => {
    const { id } = await newRun(handle.db, "scripted");
    expect(await pauseRun(handle.db, id, operator)).toEqual({ id, state: "paused" });
    expect(await conflictOf(pauseRun(handle.db, id, operator))).toEqual({ state: "paused" });
    expect(await resumeRun(handle.db, id, operator)).toEqual({ id, state: "queued" });
    expect(await conflictOf(resumeRun(handle.db, id, operator))).toEqual({ state: "queued" });
    expect(await conflictOf(retryRun(handle.db, id, operator))).toEqual({ state: "queued" });
    expect(await cancelRun(handle.db, id, operator)).toEqual({ id, state: "cancelled" });
    expect(await conflictOf(cancelRun(handle.db, id, operator))).toEqual({ state: "cancelled" });
    expect(await conflictOf(pauseRun(handle.db, id, operator))).toEqual({ state: "cancelled" });
    const actions = await auditActionsFor(handle.db, id);
    expect(actions).toEqual(["run.created", "run.paused", "run.queued", "run.cancelled"]);
  });

  it("audits controls with the acting user and their role", async () => {
    const { id } = await newRun(handle.db, "scripted");
    await pauseRun(handle.db, id, operator);
    const { auditEvents } = await import("@/db/schema");
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, "run.paused")));
    expect(event).toMatchObject({ actorKind: "user", actorId: operator.kind === "user" ? operator.id : "" });
    expect(event?.authorization).toMatchObject({ role: "operator", permission: "runs.control" });
  });

  it("retries a cancelled run as a new linked run with the same input at the job's current version", async () => {
    const { id } = await newRun(handle.db, "scripted", { turns: 2 });
    await cancelRun(handle.db, id, operator);
    const retried = await retryRun(handle.db, id, operator);
    expect(retried).toMatchObject({ state: "queued", retryOf: id });
    const original = await getRun(handle.db, id);
    const copy = await getRun(handle.db, retried.id);
    expect(copy).toMatchObject({
      retryOf: id,
      triggerKind: "retry",
      triggerRef: id,
      input: original.input,
      attempt: 1,
    });
    expect(copy.jobVersion).toBe(original.jobVersion);
    expect(await auditActionsFor(handle.db, id)).toContain("run.retried");
  });
});

describe("operator controls with a worker", () => {
  it("pause takes effect at the turn boundary; resume continues from the checkpoint", async () => {
    await startOne();
    const { id } = await newRun(handle.db, "scripted", { turns: 3, turnMs: 1500 });
    await inFlight(id, 0);
    expect(await pauseRun(handle.db, id, operator)).toEqual({ id, state: "running", pending: "pause" });
    const paused = await waitForState(handle.db, id, ["paused"]);
    expect(paused.turnsUsed).toBe(1);
    expect((await turnsOf(handle.db, id)).map((t) => t.status)).toEqual(["completed"]);
    await resumeRun(handle.db, id, operator);
    const done = await waitForState(handle.db, id, ["succeeded", "failed"]);
    expect(done).toMatchObject({ state: "succeeded", turnsUsed: 3 });
    expect(executor.calls.filter((c) => c.runId === id).map((c) => c.historyLength)).toEqual([0, 2, 4]);
  });

  it("cancel waits for the turn in flight to finish; hard cancel aborts it", async () => {
    await startOne();
    const soft = await newRun(handle.db, "scripted", { turns: 3, turnMs: 1500 });
    await inFlight(soft.id, 0);
    expect(await cancelRun(handle.db, soft.id, operator)).toMatchObject({ state: "running", pending: "cancel" });
    const a = await waitForState(handle.db, soft.id, ["cancelled"]);
    expect(a.stateReason).toBe("operator");
    expect((await turnsOf(handle.db, soft.id)).map((t) => t.status)).toEqual(["completed"]);

    const hard = await newRun(handle.db, "scripted", { turns: 3, turnMs: 30_000 });
    await inFlight(hard.id, 0);
    const started = Date.now();
    await cancelRun(handle.db, hard.id, operator, { hard: true });
    await waitForState(handle.db, hard.id, ["cancelled"], 5_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await turnsOf(handle.db, hard.id)).map((t) => t.status)).toEqual(["aborted"]);
    expect(await auditActionsFor(handle.db, hard.id)).toEqual([
      "run.created",
      "run.running",
      "run.cancel_requested",
      "turn.aborted",
      "run.cancelled",
    ]);
  });

  it("hard cancel reaches an executor that ignores the abort signal at the boundary", async () => {
    await startOne();
    const { id } = await newRun(handle.db, "scripted", { turns: 3, turnMs: 1500, ignoreAbort: true });
    await inFlight(id, 0);
    await cancelRun(handle.db, id, operator, { hard: true });
    const run = await waitForState(handle.db, id, ["cancelled"]);
    expect(run.turnsUsed).toBe(1);
  });

  it("retries a failed run as a fresh run from turn 0; a succeeded run cannot be retried", async () => {
    await startOne();
    const { id } = await newRun(handle.db, "scripted", { turns: 2, failAt: 1 });
    await waitForState(handle.db, id, ["failed"]);
    const { id: again } = await retryRun(handle.db, id, operator);
    // Same input, so it fails the same way: what matters is that it ran again from scratch.
    const retried = await waitForState(handle.db, again, ["failed", "succeeded"]);
    expect(retried).toMatchObject({ state: "failed", retryOf: id, turnsUsed: 2, attempt: 1 });
    expect(executor.calls.filter((c) => c.runId === again).map((c) => c.turnIndex)).toEqual([0, 1]);

    const ok = await newRun(handle.db, "scripted", { turns: 1 });
    await waitForState(handle.db, ok.id, ["succeeded"]);
    expect(await conflictOf(retryRun(handle.db, ok.id, operator))).toEqual({ state: "succeeded" });
  });
});

describe("approve-run oversight", () => {
  it("waits for approval before its first turn, then runs once a lead approves", async () => {
    await startOne();
    const { id, state } = await newRun(handle.db, "approve-first", { turns: 2 });
    expect(state).toBe("waiting");
    const [approval] = await handle.db.select().from(approvals).where(eq(approvals.runId, id));
    expect(approval).toMatchObject({ kind: "run", status: "pending" });
    const waiting = await getRun(handle.db, id);
    expect(waiting).toMatchObject({ stateReason: "approval", waitingFor: approval?.id });
    await new Promise((r) => setTimeout(r, 500));
    expect(executor.calls.some((c) => c.runId === id)).toBe(false);

    const decided = await decideApproval(handle.db, approval?.id ?? "", "approved", lead, "looks fine");
    expect(decided.run).toEqual({ id, state: "queued" });
    expect(decided.approval).toMatchObject({
      status: "approved",
      decidedByKind: "user",
      decidedById: "u-lead",
      note: "looks fine",
    });
    expect(await waitForState(handle.db, id, ["succeeded", "failed"])).toMatchObject({ state: "succeeded" });
    expect(await conflictOf(decideApproval(handle.db, approval?.id ?? "", "rejected", lead))).toEqual({
      status: "approved",
    });
  });

  it("a rejected run is cancelled with reason rejected", async () => {
    const { id } = await newRun(handle.db, "approve-first");
    const [approval] = await handle.db.select().from(approvals).where(eq(approvals.runId, id));
    const decided = await decideApproval(handle.db, approval?.id ?? "", "rejected", lead);
    expect(decided.run.state).toBe("cancelled");
    expect(await getRun(handle.db, id)).toMatchObject({ state: "cancelled", stateReason: "rejected" });
  });

  it("pause and resume cannot skip a pending approval; cancelling withdraws it", async () => {
    const { id } = await newRun(handle.db, "approve-first");
    await pauseRun(handle.db, id, operator);
    expect(await resumeRun(handle.db, id, operator)).toEqual({ id, state: "waiting" });
    expect((await getRun(handle.db, id)).stateReason).toBe("approval");
    await cancelRun(handle.db, id, operator);
    const [approval] = await handle.db.select().from(approvals).where(eq(approvals.runId, id));
    expect(approval?.status).toBe("withdrawn");
    expect(await conflictOf(decideApproval(handle.db, approval?.id ?? "", "approved", lead))).toEqual({
      status: "withdrawn",
    });
  });

  it("a cancel racing an approval never deadlocks: one wins, the other answers 409 or agrees", async () => {
    for (let i = 0; i < 15; i++) {
      const { id } = await newRun(handle.db, "approve-first");
      const [approval] = await handle.db.select().from(approvals).where(eq(approvals.runId, id));
      const results = await Promise.allSettled([
        decideApproval(handle.db, approval?.id ?? "", "approved", lead),
        cancelRun(handle.db, id, operator),
      ]);
      // Only AppErrors (409) are acceptable failures; a deadlock is a driver error.
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AppError);
      expect((await getRun(handle.db, id)).state).toBe("cancelled");
    }
  });
});
