import "server-only";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { runs, signalWaits } from "@/db/schema";
import { sqlTextArray } from "@/db/text-array";
import { appendAudit } from "@/lib/audit/append";
import { canonicalJson, toJsonValue } from "@/lib/audit/canonical";
import type { AuditInput } from "@/lib/audit/types";
import { runAuthorization, workerActor, type Authorization } from "@/lib/audit";
import { lockRun, transitionRun } from "./transitions";

type WaitRow = typeof signalWaits.$inferSelect;

function same(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(toJsonValue(a)) === canonicalJson(toJsonValue(b));
  } catch {
    return false;
  }
}

/** A wait matches a payload when every field of its `match` equals the payload's field of that name. */
export function payloadMatches(match: Record<string, unknown>, payload: unknown): boolean {
  const fields =
    payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  return Object.entries(match).every(([key, value]) => key in fields && same(fields[key], value));
}

/**
 * Resolves one pending wait (woken or timed out) and, when its run is parked on that
 * signal, queues the run: its next turn reads the result through the same tool call.
 * Locks the run row first (the checkpoint's order), so a wait resolved while its run is
 * still running its turn is seen by the checkpoint, which then does not park the run.
 */
async function resolveWait(
  tx: Tx,
  wait: WaitRow,
  to: "woken" | "timed_out",
  payload: unknown,
  actor: AuditInput["actor"],
  authorization?: Authorization,
): Promise<boolean> {
  const run = await lockRun(tx, wait.runId);
  const [resolved] = await tx
    .update(signalWaits)
    .set({ status: to, payload: to === "woken" ? (toJsonValue(payload) as unknown) : null, resolvedAt: sql`now()` })
    .where(and(eq(signalWaits.callKey, wait.callKey), eq(signalWaits.status, "pending")))
    .returning({ callKey: signalWaits.callKey });
  if (!resolved) return false;
  const auth = authorization ?? runAuthorization(run);
  await appendAudit(tx, {
    actor,
    action: to === "woken" ? "signal.woken" : "signal.wait_timed_out",
    subject: { type: "run", id: run.id },
    authorization: auth,
    payload: { jobId: run.jobId, signal: wait.name, callKey: wait.callKey },
  });
  if (run.state === "waiting" && run.stateReason === `signal:${wait.name}`) {
    await transitionRun(tx, run.id, "queued", {
      actor,
      authorization: auth,
      reason: to === "woken" ? "signal" : "signal_timeout",
      locked: run,
    });
  }
  return true;
}

/** POST /api/signals/{name}: wakes every pending wait for the name whose match the payload satisfies. Returns their run ids. */
export async function wakeSignalWaits(
  tx: Tx,
  name: string,
  payload: unknown,
  actor: AuditInput["actor"],
  authorization: Authorization,
): Promise<string[]> {
  const pending = await tx
    .select()
    .from(signalWaits)
    .where(and(eq(signalWaits.name, name), eq(signalWaits.status, "pending")))
    .orderBy(asc(signalWaits.createdAt));
  const woken: string[] = [];
  for (const wait of pending) {
    if (!payloadMatches(wait.match, payload)) continue;
    if (await resolveWait(tx, wait, "woken", payload, actor, authorization)) woken.push(wait.runId);
  }
  return woken;
}

/** Whether any run waits for this signal name (a signal no job declares may still wake waits). */
export async function hasPendingWaits(db: Db | Tx, name: string): Promise<boolean> {
  const [row] = await db
    .select({ key: signalWaits.callKey })
    .from(signalWaits)
    .where(and(eq(signalWaits.name, name), eq(signalWaits.status, "pending")))
    .limit(1);
  return row !== undefined;
}

/**
 * Worker sweep: waits past their timeout wake their runs with a timeout result. Returns how many.
 * `endpoints`: only waits of runs of these (the sweeping worker's set).
 */
export async function sweepSignalTimeouts(
  db: Db,
  workerId: string,
  limit = 50,
  endpoints?: readonly string[],
): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(signalWaits)
      .where(
        and(
          eq(signalWaits.status, "pending"),
          lt(signalWaits.timeoutAt, sql`now()`),
          endpoints
            ? sql`exists (select 1 from ${runs} r where r.id = ${signalWaits.runId} and r.model_endpoint = any(${sqlTextArray(endpoints)}))`
            : undefined,
        ),
      )
      .limit(limit);
    let n = 0;
    for (const wait of due) if (await resolveWait(tx, wait, "timed_out", null, workerActor(workerId))) n++;
    return n;
  });
}
