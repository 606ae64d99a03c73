import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { sqlTextArray } from "@/db/text-array";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { runs } from "@/db/schema";
import { runAuthorization, workerActor } from "@/lib/audit";
import { transitionRun } from "@/lib/runtime/transitions";
import { toolQuotas, WRITES_RESOURCE } from "./quotas";
import { recordEndedWaits } from "./wait-rollup";
import { WINDOW_MS } from "./windows";

type Listener = () => void;
const listeners = new Set<Listener>();

/** In-process signal: a run has just started waiting for a rate-limited resource. */
export function noteResourceWait(): void {
  for (const l of listeners) l();
}

/** Names of the resources that refill per window (tool quotas, the write budget). */
function windowedResources(): string[] {
  return [...toolQuotas().map((q) => q.resource), WRITES_RESOURCE];
}

/**
 * Requeues runs waiting for a rate-limited resource (tool quota, write budget) whose
 * window has rolled over since they started waiting: the capacity they waited for is
 * back. A wait on a resource with no limit configured (any more) is requeued at once.
 * Oldest wait first. Returns how many, and how long until the next window starts
 * if runs still wait (null when none do). `endpoints`: only runs of these (the worker's set): a
 * wait on a resource this process does not configure may be another configuration's.
 */
export async function requeueRefilledWaits(
  db: Db,
  workerId: string,
  limit = 200,
  endpoints?: readonly string[],
): Promise<{ requeued: number; nextInMs: number | null }> {
  const ofSet = endpoints ? sql`and model_endpoint = any(${sqlTextArray(endpoints)})` : sql``;
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(runs)
      .where(
        and(
          eq(runs.state, "waiting"),
          eq(runs.stateReason, "resource"),
          sql`(${runs.updatedAt} < date_trunc('minute', now()) or ${runs.waitingFor} is null or ${runs.waitingFor} <> all(${`{${windowedResources().join(",")}}`}::text[]))`,
          endpoints ? inArray(runs.modelEndpoint, [...endpoints]) : undefined,
        ),
      )
      .orderBy(runs.updatedAt)
      .limit(limit)
      .for("update", { skipLocked: true });
    // Their waits end here: rolled up per resource and minute before their state (and state_since) changes.
    await recordEndedWaits(
      tx,
      due.map((r) => r.id),
    );
    for (const run of due) {
      await transitionRun(tx, run.id, "queued", {
        actor: workerActor(workerId),
        authorization: runAuthorization(run),
        reason: "resource_available",
        payload: { waitedFor: run.waitingFor },
        locked: run,
      });
    }
    const [left] = rowsOf<{ waiting: number | string; next_ms: number | string }>(
      await tx.execute(sql`
        select (select count(*) from runs where state = 'waiting' and state_reason = 'resource' ${ofSet}) as waiting,
          extract(epoch from (date_trunc('minute', now()) + interval '1 minute' - now())) * 1000 as next_ms`),
    );
    // Counted after the requeue above, in the same transaction: what still waits.
    const waiting = Number(left?.waiting ?? 0);
    return { requeued: due.length, nextInMs: waiting > 0 ? Math.max(10, Number(left?.next_ms ?? WINDOW_MS)) : null };
  });
}

export interface ResourceWaker {
  poke(): void;
  stop(): void;
}

/**
 * Wakes resource waits when their capacity returns: armed only while runs wait, it fires
 * at the start of the next usage window (plus a small margin) and requeues them; it is
 * poked when a run starts waiting (noteResourceWait) and checks once at start-up.
 */
export function startResourceWaker(options: {
  db: Db;
  workerId: string;
  /** Only runs of these endpoints (the worker's set); unset: any. */
  endpoints?: readonly string[];
  onError: (error: unknown) => void;
  onRequeued?: (count: number) => void;
}): ResourceWaker {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running = false;
  let pokedAt = 0;
  const run = () => {
    timer = null;
    if (stopped || running) return;
    running = true;
    requeueRefilledWaits(options.db, options.workerId, 200, options.endpoints)
      .then(({ requeued, nextInMs }) => {
        if (requeued > 0) options.onRequeued?.(requeued);
        if (nextInMs !== null) arm(nextInMs + 50);
        // A poke comes from inside the waiting run's transaction: look again once it has committed.
        else if (Date.now() - pokedAt < 2_000) arm(500);
      })
      .catch(options.onError)
      .finally(() => (running = false));
  };
  const arm = (ms: number) => {
    if (stopped || timer) return;
    timer = setTimeout(run, ms);
  };
  const poke = () => {
    pokedAt = Date.now();
    arm(200);
  };
  listeners.add(poke);
  arm(0);
  return {
    poke,
    stop() {
      stopped = true;
      listeners.delete(poke);
      if (timer) clearTimeout(timer);
    },
  };
}
