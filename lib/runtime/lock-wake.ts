import "server-only";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memoryLocks, runs } from "@/db/schema";
import { breakDeadlocks, sweepLockQueues } from "@/lib/memory";
import { runAuthorization, workerActor } from "@/lib/audit";
import { lockRun, transitionRun } from "./transitions";

/**
 * The wake path of lock waits: a run waiting with reason `lock:<entity>` goes back to queued
 * once its request for that entity is no longer waiting (granted, or refused as a deadlock
 * victim or a timed-out wait — its next memory_lock call then answers with the refusal).
 * Called with the run ids of a `flightdeck_locks` notification, and by the worker sweep for
 * every lock waiter (the fallback for a missed notification). Each run is re-checked under
 * its row lock, so a run whose turn is still checkpointing is woken once it is waiting.
 */
export async function wakeLockWaiters(
  db: Db,
  workerId: string,
  runIds?: readonly string[],
  endpoints?: readonly string[],
): Promise<number> {
  const candidates = await db
    .select({ id: runs.id })
    .from(runs)
    .where(
      and(
        eq(runs.state, "waiting"),
        like(runs.stateReason, "lock:%"),
        runIds ? inArray(runs.id, [...runIds]) : undefined,
        endpoints ? inArray(runs.modelEndpoint, [...endpoints]) : undefined,
        sql`not exists (select 1 from ${memoryLocks} l where l.run_id = ${runs.id} and l.entity = ${runs.waitingFor} and l.status = 'waiting')`,
      ),
    )
    .limit(500);
  // A notification may arrive while the run's checkpoint is still committing its wait: look again under the row lock.
  const ids = runIds ? [...new Set([...runIds, ...candidates.map((c) => c.id)])] : candidates.map((c) => c.id);
  let woken = 0;
  for (const id of ids) {
    const done = await db.transaction(async (tx) => {
      const run = await lockRun(tx, id).catch(() => undefined);
      if (!run || run.state !== "waiting" || !run.stateReason?.startsWith("lock:") || !run.waitingFor) return false;
      if (endpoints && !endpoints.includes(run.modelEndpoint)) return false;
      const [row] = await tx
        .select({ status: memoryLocks.status })
        .from(memoryLocks)
        .where(and(eq(memoryLocks.runId, id), eq(memoryLocks.entity, run.waitingFor)));
      if (row?.status === "waiting") return false;
      await transitionRun(tx, id, "queued", {
        actor: workerActor(workerId),
        authorization: runAuthorization(run),
        reason: row?.status === "held" ? "lock_granted" : "lock_refused",
        payload: { entity: run.waitingFor },
        locked: run,
      });
      return true;
    });
    if (done) woken++;
  }
  return woken;
}

/**
 * The sweep's lock work: time out waits, grant what became grantable, break missed cycles (the
 * lock queues': `queues`), wake the waiters (of runs of `endpoints`, the worker's set, if given).
 */
export async function sweepLocks(
  db: Db,
  workerId: string,
  options: { queues?: boolean; endpoints?: readonly string[] } = {},
): Promise<number> {
  if (options.queues !== false) {
    await sweepLockQueues(db);
    await db.transaction((tx) => breakDeadlocks(tx));
  }
  return wakeLockWaiters(db, workerId, undefined, options.endpoints);
}
