import { and, eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { memoryLocks, runs } from "@/db/schema";
import { grantable, LOCKS_CHANNEL, registerCollections, releaseLock, requestLock, type LockEntry } from "@/lib/memory";
import { wakeLockWaiters } from "@/lib/runtime/lock-wake";
import { lockRun, transitionRun } from "@/lib/runtime/transitions";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, newRun, testJob } from "../helpers/agent-fixtures";

/**
 * Random interleavings of lock, unlock and run death against the real lock manager (in the
 * test database), with the wake path driven only by the `flightdeck_locks` notifications.
 * After every step: never two exclusive holders (nor exclusive beside shared); nothing
 * grantable left waiting; no run left asleep whose request was granted or refused (no lost
 * wake-up); the wait-for graph has no cycle (every cycle was detected); and a request is
 * refused as a deadlock only when a cycle really existed (no false deadlock) — cycles are
 * judged by an oracle written here, independent of lib/memory's graph code.
 */
let handle: TestDatabase;
const job = testJob({ id: "lock-prop", agent: { model: "default", instructions: "t", tools: [], maxTurns: 5 } });
const actor = { kind: "system" as const, id: "prop", label: "property test" };
const notified: string[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  registerCollections([{ name: "e", description: "entities", schema: z.json() }]);
  await installJobs(handle.db, [job]);
  await handle.listen(LOCKS_CHANNEL, (payload) => notified.push(...payload.split(",").filter(Boolean)));
});
afterAll(async () => handle.drop());

type Mode = "exclusive" | "shared";
type Command =
  | { kind: "lock"; run: number; entity: number; mode: Mode }
  | { kind: "unlock"; run: number; entity: number }
  | { kind: "die"; run: number };

const RUNS = 4;
const ENTITIES = 3;
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("lock" as const),
      run: fc.nat(RUNS - 1),
      entity: fc.nat(ENTITIES - 1),
      mode: fc.constantFrom<Mode>("exclusive", "shared"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("unlock" as const), run: fc.nat(RUNS - 1), entity: fc.nat(ENTITIES - 1) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("die" as const), run: fc.nat(RUNS - 1) }) },
);

/** Independent oracle: does the wait-for relation (built here) have a cycle? Transitive closure. */
function hasCycle(
  rows: readonly { entity: string; runId: string; mode: Mode; status: string; seq: number }[],
): boolean {
  const live = rows.filter((r) => r.status !== "refused");
  const edges = new Map<string, Set<string>>();
  for (const w of live) {
    if (w.status !== "waiting") continue;
    for (const o of live) {
      if (o.entity !== w.entity || o.runId === w.runId) continue;
      const ahead = o.status === "held" || o.seq < w.seq;
      const conflict = w.mode === "exclusive" || o.mode === "exclusive";
      if (ahead && conflict) {
        const set = edges.get(w.runId) ?? new Set<string>();
        set.add(o.runId);
        edges.set(w.runId, set);
      }
    }
  }
  const nodes = [...edges.keys()];
  for (const start of nodes) {
    const seen = new Set<string>();
    const stack = [...(edges.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() ?? "";
      if (next === start) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(edges.get(next) ?? []));
    }
  }
  return false;
}

async function settleNotifications(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 2));
    const ids = notified.splice(0);
    if (ids.length > 0) await wakeLockWaiters(handle.db, "prop", ids);
  }
}

const lockRows = () => handle.db.select().from(memoryLocks).orderBy(memoryLocks.seq);

describe("lock manager under random interleavings", () => {
  it("keeps mutual exclusion, FIFO progress, wake-ups and deadlock detection exact", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 18 }), async (commands) => {
        await handle.db.execute(sql`delete from memory_locks`);
        notified.length = 0;
        const ids: string[] = [];
        for (let i = 0; i < RUNS; i++) ids.push(await newRun(handle.db, job.id));
        for (const c of commands) {
          const runId = ids[c.run] ?? "";
          const [run] = await handle.db.select().from(runs).where(eq(runs.id, runId));
          if (!run || run.state === "cancelled") continue;
          if (c.kind === "die") {
            await handle.db.transaction((tx) =>
              transitionRun(tx, runId, "cancelled", { actor, authorization: { via: "system" }, reason: "operator" }),
            );
          } else if (c.kind === "unlock") {
            if (run.state === "waiting") continue; // a parked run makes no calls
            await handle.db.transaction((tx) => releaseLock(tx, runId, `e/${c.entity}`));
          } else {
            if (run.state === "waiting") continue;
            const entity = `e/${c.entity}`;
            const before = await lockRows();
            const result = await handle.db.transaction((tx) =>
              requestLock(tx, { runId, entity, mode: c.mode, timeoutMs: 60_000 }),
            );
            const after = await lockRows();
            const refusedOthers = after.filter(
              (r) => r.status === "refused" && !before.some((b) => b.seq === r.seq && b.status === "refused"),
            );
            const deadlockNow =
              (result.status === "refused" && result.reason.startsWith("deadlock")) || refusedOthers.length > 0;
            if (!before.some((b) => b.runId === runId && b.entity === entity)) {
              // The graph as it would be with this request queued (and nothing granted by it).
              const hypothetical = [
                ...before,
                { entity, runId, mode: c.mode, status: "waiting", seq: Number.MAX_SAFE_INTEGER },
              ];
              const couldGrant = grantable(hypothetical.filter((r) => r.entity === entity) as LockEntry[]).some(
                (g) => g.runId === runId,
              );
              expect(deadlockNow, "deadlock refused exactly when a cycle formed").toBe(
                !couldGrant && hasCycle(hypothetical),
              );
            } else {
              expect(refusedOthers).toEqual([]);
            }
            if (result.status === "waiting") {
              // The turn ends here: the run waits for the lock (as the checkpoint would record it).
              await handle.db.transaction(async (tx) => {
                const locked = await lockRun(tx, runId);
                const [mine] = await tx
                  .select()
                  .from(memoryLocks)
                  .where(and(eq(memoryLocks.runId, runId), eq(memoryLocks.entity, entity)));
                if (mine?.status !== "waiting") return; // granted meanwhile: no wait
                await transitionRun(tx, runId, "waiting", {
                  actor,
                  authorization: { via: "system" },
                  reason: `lock:${entity}`,
                  waitingFor: entity,
                  locked,
                });
              });
            } else if (result.status === "refused") {
              // Consumed by the call; nothing to do.
            }
          }
          await settleNotifications();
          const rows = await lockRows();
          for (let e = 0; e < ENTITIES; e++) {
            const queue = rows.filter((r) => r.entity === `e/${e}`);
            const holders = queue.filter((r) => r.status === "held");
            const exclusive = holders.filter((h) => h.mode === "exclusive");
            expect(exclusive.length <= 1 && (exclusive.length === 0 || holders.length === 1), "mutual exclusion").toBe(
              true,
            );
            expect(grantable(queue).length, "nothing grantable left waiting").toBe(0);
          }
          expect(hasCycle(rows), "no undetected cycle").toBe(false);
          const asleep = await handle.db
            .select({ id: runs.id, waitingFor: runs.waitingFor })
            .from(runs)
            .where(and(inArray(runs.id, ids), eq(runs.state, "waiting")));
          for (const s of asleep) {
            const mine = rows.find((r) => r.runId === s.id && r.entity === s.waitingFor);
            expect(mine?.status, `no lost wake-up for ${s.id}`).toBe("waiting");
          }
          // A woken run resumes its call: consume a refusal so the next request starts fresh.
          for (const r of rows.filter((x) => x.status === "refused")) {
            const [owner] = await handle.db.select({ state: runs.state }).from(runs).where(eq(runs.id, r.runId));
            if (owner?.state === "queued")
              await handle.db.transaction((tx) =>
                requestLock(tx, { runId: r.runId, entity: r.entity, mode: r.mode, timeoutMs: 60_000 }),
              );
          }
        }
      }),
      { numRuns: 40, seed: 1509 },
    );
  }, 240_000);
});
