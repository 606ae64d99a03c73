import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { auditEvents, runs, runStates, type RunState } from "@/db/schema";
import { IllegalTransitionError, LeaseLostError } from "@/lib/runtime/errors";
import { canTransition, isTerminal, transitionTable } from "@/lib/runtime/transition-table";
import { transitionRun } from "@/lib/runtime/transitions";
import type { TestDatabase } from "@/tests/helpers/db";
import { getRun, newRun, runtimeDatabase } from "./helpers";

// Written out independently of lib/runtime/transition-table.ts: the spec, pair by pair.
const allowed = new Set([
  "queued>running",
  "queued>waiting",
  "queued>paused",
  "queued>cancelled",
  "queued>timed_out",
  "running>waiting",
  "running>paused",
  "running>succeeded",
  "running>failed",
  "running>cancelled",
  "running>timed_out",
  "waiting>queued",
  "waiting>paused",
  "waiting>cancelled",
  "waiting>timed_out",
  "paused>queued",
  "paused>waiting",
  "paused>cancelled",
]);
const pairs = runStates.flatMap((from) => runStates.map((to) => [from, to] as [RunState, RunState]));
const actor = { kind: "system" as const, id: "test", label: "test" };

describe("transition table", () => {
  it.each(pairs)("%s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });

  it("lets nothing leave a terminal state and covers every state", () => {
    expect(Object.keys(transitionTable).sort()).toEqual([...runStates].sort());
    for (const state of runStates) if (isTerminal(state)) expect(transitionTable[state]).toEqual([]);
  });
});

describe("transitionRun", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await runtimeDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });

  async function auditCount(runId: string) {
    const [row] = await handle.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.subjectId, runId));
    return row?.n ?? 0;
  }

  it("applies every legal pair with its audit event and refuses every illegal one unchanged", async () => {
    for (const [from, to] of pairs) {
      const { id } = await newRun(handle.db, "scripted");
      await handle.db.update(runs).set({ state: from }).where(eq(runs.id, id));
      const before = await auditCount(id);
      const attempt = handle.db.transaction((tx) =>
        transitionRun(tx, id, to, { actor, authorization: { via: "system" }, reason: "because" }),
      );
      if (allowed.has(`${from}>${to}`)) {
        await attempt;
        const row = await getRun(handle.db, id);
        expect(row.state, `${from}→${to}`).toBe(to);
        expect(row.stateReason).toBe("because");
        expect(row.finishedAt !== null, `${from}→${to} finishedAt`).toBe(isTerminal(to));
        expect(await auditCount(id)).toBe(before + 1);
      } else {
        const error = await attempt.catch((e: unknown) => e);
        expect(error, `${from}→${to}`).toBeInstanceOf(IllegalTransitionError);
        expect((error as IllegalTransitionError).state).toBe(from);
        expect((await getRun(handle.db, id)).state).toBe(from);
        expect(await auditCount(id)).toBe(before);
      }
    }
  });

  it("records the transition as run.<state> with from, to and reason", async () => {
    const { id } = await newRun(handle.db, "scripted");
    await handle.db.transaction((tx) =>
      transitionRun(tx, id, "paused", { actor, authorization: { via: "system" }, reason: "operator" }),
    );
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "run.paused"), eq(auditEvents.subjectId, id)));
    expect(event?.payload).toMatchObject({ from: "queued", to: "paused", reason: "operator", jobId: "scripted" });
  });

  it("refuses a fenced transition by a worker whose lease token no longer matches", async () => {
    const { id } = await newRun(handle.db, "scripted");
    await handle.db.update(runs).set({ state: "running", leaseToken: "current" }).where(eq(runs.id, id));
    const stale = handle.db.transaction((tx) =>
      transitionRun(tx, id, "succeeded", { actor, authorization: { via: "system" }, fence: { leaseToken: "stale" } }),
    );
    await expect(stale).rejects.toBeInstanceOf(LeaseLostError);
    expect((await getRun(handle.db, id)).state).toBe("running");
  });
});
