import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flashcards, runs } from "@/db/schema";
import { flagStuckWaits } from "@/lib/flashcards/sweep";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor } from "../runtime/fixtures/deterministic-executor";
import { newRun, runtimeDatabase, waitForState } from "../runtime/helpers";

/** The detectors as the runtime calls them: a real worker, real checkpoints and transitions. */
let handle: TestDatabase;
let worker: Worker;

beforeAll(async () => {
  handle = await runtimeDatabase();
  worker = await startWorker({
    handle,
    executor: deterministicExecutor(),
    pollIntervalMs: 50,
    leaseMs: 5_000,
    logger: () => {},
  });
});
afterAll(async () => {
  await worker.stop();
  await handle.drop();
});

const cardsOf = (where: ReturnType<typeof eq>) => handle.db.select().from(flashcards).where(where);

describe("detection in the runtime", () => {
  it("the turn crossing 80% of the token and turn budgets raises one budget card per dimension, once", async () => {
    const run = await newRun(handle.db, "scripted", { turns: 9, tokensPerTurn: 1_000 });
    await waitForState(handle.db, run.id, ["succeeded"]);
    const cards = await cardsOf(eq(flashcards.runId, run.id));
    expect(cards.map((c) => c.fingerprint).sort()).toEqual([`budget:${run.id}:tokens`, `budget:${run.id}:turns`]);
    // Raised at turn 8 of 10 (8,000 of 10,000 tokens), not again at turn 9.
    expect(cards.every((c) => c.kind === "budget" && c.count === 1)).toBe(true);
    expect(cards[0]?.details).toMatchObject({ tokensUsed: 8_000, budgetTokens: 10_000, turnsUsed: 8, budgetTurns: 10 });
  });

  it("three failed runs of a job in a row raise one failures card, counted again on the fourth", async () => {
    for (let i = 0; i < 4; i++) {
      const run = await newRun(handle.db, "urgent", { turns: 2, failAt: 0 });
      await waitForState(handle.db, run.id, ["failed"]);
    }
    const cards = await cardsOf(eq(flashcards.fingerprint, "failures:urgent"));
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ kind: "failures", state: "open", count: 2, jobId: "urgent" });
    expect(cards[0]?.why).toMatch(/last 4 runs of urgent failed in a row/);
  });

  it("a run waiting far beyond the threshold is flagged stuck once by the periodic sweep", async () => {
    const run = await newRun(handle.db, "scripted", { turns: 3, waitAt: 0, waitReason: "signal" });
    await waitForState(handle.db, run.id, ["waiting"]);
    expect(await flagStuckWaits(handle.db)).toBe(0);
    await handle.db
      .update(runs)
      .set({ updatedAt: sql`now() - interval '2 hours'` })
      .where(eq(runs.id, run.id));
    expect(await flagStuckWaits(handle.db)).toBe(1);
    expect(await flagStuckWaits(handle.db)).toBe(0);
    const [card] = await cardsOf(eq(flashcards.fingerprint, `stuck:${run.id}:waiting`));
    expect(card).toMatchObject({ kind: "stuck", runId: run.id, count: 1 });
    expect(card?.why).toMatch(/waits for signal/);
  });
});
