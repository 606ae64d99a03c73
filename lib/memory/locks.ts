import "server-only";
import { notifyLive } from "@/lib/live/channel";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { memoryLocks, runs, type LockMode } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { raiseDeadlockFlashcard } from "./deadlock-flashcard";
import { grantable, resolveDeadlocks, type DeadlockReport, type LockEntry, type RunRank } from "./wait-graph";

/**
 * Agent-level locks, in Postgres. Every change to one entity's queue runs under that
 * entity's transaction-scoped advisory lock, so instances never interleave on a queue; a
 * request that has to wait also takes the deployment-wide deadlock lock while it checks the
 * wait-for graph, so two requests closing one cycle cannot both miss it.
 *
 * Wake path: whenever requests are granted or refused for runs other than the caller, the
 * transaction sends NOTIFY `flightdeck_locks` (payload: run ids); workers LISTEN and move
 * those runs from waiting to queued (lib/runtime/lock-wake.ts). The worker sweep does the
 * same as the fallback.
 */
export const LOCKS_CHANNEL = "flightdeck_locks";
const DEADLOCK_LOCK = "flightdeck.memory.deadlock";

export type LockRow = typeof memoryLocks.$inferSelect;

export type LockRequestResult =
  | { status: "held"; mode: LockMode; waitedMs: number | null }
  | { status: "waiting"; seq: number }
  /** A deadlock victim or a wait that timed out: the request is gone. */
  | { status: "refused"; reason: string }
  /** Asking for something the lock cannot do (an upgrade). */
  | { status: "invalid"; reason: string };

/** Serialises every change to one entity's queue until the transaction ends. */
export async function lockQueue(tx: Tx, entity: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`flightdeck.lock:${entity}`}))`);
}

async function queueOf(tx: Tx, entity: string): Promise<LockRow[]> {
  return tx.select().from(memoryLocks).where(eq(memoryLocks.entity, entity)).orderBy(asc(memoryLocks.seq));
}

function entryOf(row: LockRow): LockEntry {
  return { seq: row.seq, entity: row.entity, runId: row.runId, mode: row.mode, status: row.status };
}

/** Grants what the FIFO queue allows (the caller holds the queue lock). Answers the runs granted. */
export async function grantPass(tx: Tx, entity: string): Promise<string[]> {
  const queue = await queueOf(tx, entity);
  const granted = grantable(queue.map(entryOf));
  if (granted.length === 0) return [];
  await tx
    .update(memoryLocks)
    .set({ status: "held", grantedAt: sql`clock_timestamp()`, timeoutAt: null })
    .where(
      inArray(
        memoryLocks.seq,
        granted.map((g) => g.seq),
      ),
    );
  return granted.map((g) => g.runId);
}

/** Wakes these runs (delivered on commit): their lock was granted or refused. */
export async function notifyLockChange(q: Queryable, runIds: readonly string[]): Promise<void> {
  const unique = [...new Set(runIds)];
  // NOTIFY payloads are limited to 8000 bytes: send in chunks of run ids.
  for (let i = 0; i < unique.length; i += 100) {
    await q.execute(sql`select pg_notify(${LOCKS_CHANNEL}, ${unique.slice(i, i + 100).join(",")})`);
  }
}

/**
 * A run asks for a lock. Already held → held (idempotent); a request still queued →
 * waiting; a refused request (deadlock victim, timed-out wait) → refused, once (the row
 * goes); otherwise it joins the queue, is granted if the FIFO allows, and else waits —
 * after a deadlock check that may refuse it (or another run in the cycle).
 */
export async function requestLock(
  tx: Tx,
  params: { runId: string; entity: string; mode: LockMode; timeoutMs: number },
): Promise<LockRequestResult> {
  const { runId, entity, mode } = params;
  await lockQueue(tx, entity);
  const [existing] = await tx
    .select()
    .from(memoryLocks)
    .where(and(eq(memoryLocks.entity, entity), eq(memoryLocks.runId, runId)));
  if (existing) {
    if (existing.status === "refused") {
      await tx.delete(memoryLocks).where(eq(memoryLocks.seq, existing.seq));
      return { status: "refused", reason: existing.refusal ?? "lock request refused" };
    }
    if (existing.status === "waiting") return { status: "waiting", seq: existing.seq };
    if (existing.mode === "exclusive" || existing.mode === mode)
      return { status: "held", mode: existing.mode, waitedMs: waited(existing) };
    return {
      status: "invalid",
      reason: `this run holds ${entity} shared; upgrading to exclusive is not supported (memory_unlock it, then ask for exclusive)`,
    };
  }
  const [inserted] = await tx
    .insert(memoryLocks)
    .values({
      entity,
      runId,
      mode,
      status: "waiting",
      timeoutAt: sql`clock_timestamp() + (${Math.max(1, Math.round(params.timeoutMs))}::int * interval '1 millisecond')`,
    })
    .returning();
  if (!inserted) throw new Error("lock request not stored");
  // The Resources page lists holders and waiters; a grant to others goes on flightdeck_locks as well.
  await notifyLive(tx, "resources", "locks");
  const granted = await grantPass(tx, entity);
  const others = granted.filter((id) => id !== runId);
  if (others.length > 0) await notifyLockChange(tx, others);
  if (granted.includes(runId)) return { status: "held", mode, waitedMs: 0 };

  // A run that holds no lock has no edge pointing at it (it is last in its queue and blocks nobody),
  // so its wait cannot close a cycle: skip the deployment-wide check.
  const [holds] = await tx
    .select({ seq: memoryLocks.seq })
    .from(memoryLocks)
    .where(and(eq(memoryLocks.runId, runId), eq(memoryLocks.status, "held")))
    .limit(1);
  if (!holds) return { status: "waiting", seq: inserted.seq };
  const reports = await breakDeadlocks(tx);
  const mine = reports.find((r) => r.deadlock.victim.seq === inserted.seq);
  if (mine) {
    await tx.delete(memoryLocks).where(eq(memoryLocks.seq, inserted.seq));
    return { status: "refused", reason: mine.reason };
  }
  return { status: "waiting", seq: inserted.seq };
}

function waited(row: LockRow): number | null {
  return row.grantedAt ? Math.max(0, row.grantedAt.getTime() - row.requestedAt.getTime()) : null;
}

/**
 * Looks for cycles in the deployment's wait-for graph (under the deadlock lock) and breaks
 * each: the victim (lowest priority, then youngest run) has its waiting request refused —
 * marked so its next memory_lock call answers "deadlock with run …" — and is woken. Each
 * cycle is audited (`memory.deadlock`). Called by every request that has to wait, and by
 * the worker sweep as the fallback.
 */
export async function breakDeadlocks(tx: Tx): Promise<DeadlockReport[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${DEADLOCK_LOCK}))`);
  const rows = await tx
    .select()
    .from(memoryLocks)
    .where(inArray(memoryLocks.status, ["held", "waiting"]));
  if (!rows.some((r) => r.status === "waiting")) return [];
  const runIds = [...new Set(rows.map((r) => r.runId))];
  const rankRows = await tx
    .select({ id: runs.id, priority: runs.priority, createdAt: runs.createdAt })
    .from(runs)
    .where(inArray(runs.id, runIds));
  const ranks = new Map<string, RunRank>(
    rankRows.map((r) => [r.id, { priority: r.priority, createdAt: r.createdAt.getTime() }]),
  );
  const deadlocks = resolveDeadlocks(rows.map(entryOf), ranks);
  const reports: DeadlockReport[] = [];
  for (const deadlock of deadlocks) {
    const { victim, cycle } = deadlock;
    const others = [...new Set(cycle.map((e) => e.from).filter((id) => id !== victim.from))];
    const reason =
      `deadlock with run ${victim.to}: this run waits for ${victim.entity}, which run ${victim.to} holds or is ahead for, ` +
      `and ${cycle.length === 2 ? "that run waits" : `the ${cycle.length - 1} runs in the cycle (${others.join(", ")}) wait`} ` +
      `for a lock this run holds. This request is refused (victim: lowest priority, then youngest run); ` +
      `release a lock (memory_unlock) or finish, then try again.`;
    await tx
      .update(memoryLocks)
      .set({ status: "refused", refusal: reason, timeoutAt: null })
      .where(and(eq(memoryLocks.seq, victim.seq), eq(memoryLocks.status, "waiting")));
    await appendAudit(tx, {
      actor: { kind: "system", id: "lock-manager", label: "lock manager" },
      action: "memory.deadlock",
      subject: { type: "run", id: victim.from },
      authorization: { via: "system", reason: "deadlock victim policy: lowest priority, then youngest run" },
      payload: {
        victim: { runId: victim.from, entity: victim.entity, ...rankPayload(ranks.get(victim.from)) },
        cycle: cycle.map((e) => ({
          runId: e.from,
          waitsFor: e.entity,
          blockedBy: e.to,
          ...rankPayload(ranks.get(e.from)),
        })),
      },
    });
    const report = { deadlock, reason };
    reports.push(report);
    await raiseDeadlockFlashcard(tx, report);
    await notifyLockChange(tx, [victim.from]);
  }
  return reports;
}

function rankPayload(rank: RunRank | undefined) {
  return rank ? { priority: rank.priority, createdAt: new Date(rank.createdAt).toISOString() } : {};
}

/** memory_unlock: releases a held lock (or withdraws a queued request). False when the run has neither. */
export async function releaseLock(tx: Tx, runId: string, entity: string): Promise<boolean> {
  await lockQueue(tx, entity);
  const deleted = await tx
    .delete(memoryLocks)
    .where(
      and(
        eq(memoryLocks.entity, entity),
        eq(memoryLocks.runId, runId),
        inArray(memoryLocks.status, ["held", "waiting"]),
      ),
    )
    .returning({ seq: memoryLocks.seq });
  if (deleted.length === 0) return false;
  await notifyLive(tx, "resources", "locks");
  const granted = await grantPass(tx, entity);
  if (granted.length > 0) await notifyLockChange(tx, granted);
  return true;
}

/**
 * A run finished (succeeded, failed, cancelled, timed out): everything it held or queued for
 * goes, and whoever is next is granted and woken. Called by transitionRun in the terminal
 * transition's transaction. Entities are visited in name order (one lock order for all).
 */
export async function releaseRunLocks(tx: Tx, runId: string): Promise<string[]> {
  const rows = await tx.select({ entity: memoryLocks.entity }).from(memoryLocks).where(eq(memoryLocks.runId, runId));
  if (rows.length === 0) return [];
  const entities = [...new Set(rows.map((r) => r.entity))].sort();
  const woken: string[] = [];
  for (const entity of entities) {
    await lockQueue(tx, entity);
    await tx.delete(memoryLocks).where(and(eq(memoryLocks.entity, entity), eq(memoryLocks.runId, runId)));
    woken.push(...(await grantPass(tx, entity)));
  }
  await notifyLive(tx, "resources", "locks");
  if (woken.length > 0) await notifyLockChange(tx, woken);
  return entities;
}

/**
 * The sweep's part: waits past their timeout are refused ("timed out"), and queues whose
 * head became grantable (a refused request no longer blocks) are granted. Answers the runs
 * to wake. One short transaction per entity.
 */
export async function sweepLockQueues(db: {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}): Promise<string[]> {
  const entities = await db.transaction(async (tx) =>
    rowsOf<{ entity: string }>(
      await tx.execute(
        sql`select distinct entity from memory_locks where status = 'waiting' order by entity limit 500`,
      ),
    ),
  );
  const woken: string[] = [];
  for (const { entity } of entities) {
    const runIds = await db.transaction(async (tx) => {
      await lockQueue(tx, entity);
      const expired = await tx
        .update(memoryLocks)
        .set({
          status: "refused",
          refusal: sql`'the wait for ' || ${memoryLocks.entity} || ' timed out after ' || round(extract(epoch from (clock_timestamp() - ${memoryLocks.requestedAt})) * 1000)::bigint || ' ms (the job''s lock wait timeout); the lock was not taken'`,
          timeoutAt: null,
        })
        .where(
          and(
            eq(memoryLocks.entity, entity),
            eq(memoryLocks.status, "waiting"),
            sql`${memoryLocks.timeoutAt} < clock_timestamp()`,
          ),
        )
        .returning({ runId: memoryLocks.runId });
      const ids = [...expired.map((r) => r.runId), ...(await grantPass(tx, entity))];
      if (ids.length > 0) await notifyLockChange(tx, ids);
      return ids;
    });
    woken.push(...runIds);
  }
  return woken;
}

export interface LockView {
  entity: string;
  runId: string;
  jobId: string;
  runState: string;
  mode: LockMode;
  status: "held" | "waiting" | "refused";
  seq: number;
  requestedAt: Date;
  grantedAt: Date | null;
  timeoutAt: Date | null;
  /** Held: ms since granted; waiting: ms since requested (database clock). */
  forMs: number;
}

/** Every lock and request, by entity then queue order (GET /api/locks, the cockpit). */
export async function listLocks(db: Queryable, filter: { runId?: string; entity?: string } = {}): Promise<LockView[]> {
  const conditions = [];
  if (filter.runId) conditions.push(eq(memoryLocks.runId, filter.runId));
  if (filter.entity) conditions.push(eq(memoryLocks.entity, filter.entity));
  const rows = await db
    .select({
      entity: memoryLocks.entity,
      runId: memoryLocks.runId,
      jobId: runs.jobId,
      runState: runs.state,
      mode: memoryLocks.mode,
      status: memoryLocks.status,
      seq: memoryLocks.seq,
      requestedAt: memoryLocks.requestedAt,
      grantedAt: memoryLocks.grantedAt,
      timeoutAt: memoryLocks.timeoutAt,
      forMs: sql<number>`(extract(epoch from (clock_timestamp() - coalesce(${memoryLocks.grantedAt}, ${memoryLocks.requestedAt}))) * 1000)::float8`,
    })
    .from(memoryLocks)
    .innerJoin(runs, eq(runs.id, memoryLocks.runId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(asc(memoryLocks.entity), asc(memoryLocks.seq))
    .limit(1_000);
  return rows.map((r) => ({ ...r, forMs: Math.round(Number(r.forMs)) }));
}

/**
 * A lock another run holds on the entity (granted, shared or exclusive), or undefined. A
 * write must not slip under a lock it does not share: the holder reads and writes on the
 * promise that nobody else changes the entity meanwhile.
 */
export async function heldByAnother(q: Queryable, entity: string, runId: string): Promise<LockRow | undefined> {
  const [row] = await q
    .select()
    .from(memoryLocks)
    .where(and(eq(memoryLocks.entity, entity), eq(memoryLocks.status, "held"), sql`${memoryLocks.runId} <> ${runId}`))
    .orderBy(asc(memoryLocks.seq))
    .limit(1);
  return row;
}

/** The lock state of one run's request for one entity (the admission check of a resumed call). */
export async function lockStatus(db: Queryable, runId: string, entity: string): Promise<LockRow | undefined> {
  const [row] = await db
    .select()
    .from(memoryLocks)
    .where(and(eq(memoryLocks.entity, entity), eq(memoryLocks.runId, runId)));
  return row;
}
