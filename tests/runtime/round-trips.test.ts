import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkpointTurn } from "@/lib/runtime/checkpoint";
import { claimNextRun } from "@/lib/runtime/claim";
import { turnContextFor } from "@/lib/runtime/execute-turn";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor } from "./fixtures/deterministic-executor";
import { auditActionsFor, getRun, newRun, runtimeDatabase, turnsOf } from "./helpers";

/**
 * The statements a turn sends, counted on the wire (node-postgres), so the dispatch ceiling measured in
 * bench/dispatch cannot creep back up unseen: claims of one endpoint and turns of one key queue on locks
 * held until commit, and each statement after them lengthened the queue (bench/dispatch/RESULTS.md).
 */
describe.runIf(!!process.env.TEST_DATABASE_URL)("round trips of a turn (Postgres)", () => {
  let handle: TestDatabase;
  const sent: string[] = [];
  const original = pg.Client.prototype.query;

  beforeAll(async () => {
    handle = await runtimeDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });
  afterEach(() => {
    pg.Client.prototype.query = original;
  });

  /** Runs fn with every statement sent by any client of this process recorded in `sent`. */
  async function counting<T>(fn: () => Promise<T>): Promise<T> {
    sent.length = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const first = args[0];
      sent.push(typeof first === "string" ? first : String((first as { text?: string }).text ?? ""));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      return await fn();
    } finally {
      pg.Client.prototype.query = original;
    }
  }

  it("a one-turn run is claimed in 4 statements and checkpointed in 6, with every write and event in place", async () => {
    const run = await newRun(handle.db, "scripted", { turns: 1, tokensPerTurn: 10 });
    const claim = await counting(() => claimNextRun(handle.db, { workerId: "w-rt", leaseMs: 10_000 }));
    expect(claim?.run.id).toBe(run.id);
    // begin, flightdeck_claim_candidate (the clock, the full endpoints and the pick), flightdeck_take_slot, commit
    expect(sent, sent.join("\n---\n")).toHaveLength(4);
    if (!claim) return;

    const executor = deterministicExecutor();
    const context = turnContextFor(claim, new AbortController().signal, new Date(Date.now() + 60_000));
    const result = await executor.execute(context);
    const outcome = await counting(() =>
      checkpointTurn(handle.db, { claim, workerId: "w-rt", executor, context, end: { kind: "result", result } }),
    );
    expect(outcome).toBe("applied");
    // begin, flightdeck_lock_checkpoint (the run's lock with the turn row), flightdeck_withdraw_run_decisions, the run's UPDATE,
    // flightdeck_checkpoint_tail, commit
    expect(sent, sent.join("\n---\n")).toHaveLength(6);

    const after = await getRun(handle.db, run.id);
    expect(after).toMatchObject({ state: "succeeded", turnsUsed: 1, tokensUsed: 10, leaseToken: null });
    const [turn] = await turnsOf(handle.db, run.id);
    expect(turn).toMatchObject({ status: "completed", inputTokens: 5, outputTokens: 5, workerId: "w-rt" });
    expect(turn?.messagesOut).toEqual([{ role: "assistant", content: "did 0" }]);
    // In order: the creation, the claim's event, then the checkpoint's two.
    expect(await auditActionsFor(handle.db, run.id)).toEqual([
      "run.created",
      "run.running",
      "turn.completed",
      "run.succeeded",
    ]);
  });
});
