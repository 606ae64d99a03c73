import "server-only";
import { logger } from "@/lib/log";
import { sanitizeError } from "@/lib/errors/sanitize";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { approvals, runs, type RunState } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { stateAllows, type RunControl } from "@/lib/run-controls";
import { CONTROL_CHANNEL, notifyRun } from "./channels";
import { abortStaleTurns } from "./claim";
import { createRun } from "./create-run";
import { dbNowMs } from "./db-time";
import { IllegalTransitionError } from "./errors";
import { lockRun, transitionRun, type RunRow } from "./transitions";

export { runControls, type RunControl } from "@/lib/run-controls";

export interface ControlResult {
  id: string;
  state: RunState;
  /** Set when the control takes effect at the next turn boundary, not now. */
  pending?: "pause" | "cancel";
  /** retry: the run it retried. */
  retryOf?: string;
}

function refuse(control: RunControl, run: RunRow): never {
  throw new AppError("conflict", `Cannot ${control} a run that is ${run.state}`, { state: run.state });
}

function who(principal: Principal) {
  return { actor: auditActor(principal), authorization: auditAuthorization(principal, "runs.control") };
}

/** A worker holds the run right now: a turn is in flight. */
async function turnInFlight(tx: Tx, run: RunRow): Promise<boolean> {
  return run.leaseToken !== null && run.leaseExpiresAt !== null && run.leaseExpiresAt.getTime() > (await dbNowMs(tx));
}

async function recordRequest(
  tx: Tx,
  run: RunRow,
  principal: Principal,
  action: string,
  payload: Record<string, unknown>,
) {
  await appendAudit(tx, {
    ...who(principal),
    action,
    subject: { type: "run", id: run.id },
    payload: { jobId: run.jobId, ...payload },
  });
}

/** queued/waiting → paused now; running → paused at the turn boundary (or now, between turns). */
export async function pauseRun(db: Db, runId: string, principal: Principal): Promise<ControlResult> {
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (run.state === "running" && (await turnInFlight(tx, run))) {
      if (!run.pauseRequested) {
        await tx
          .update(runs)
          .set({ pauseRequested: true, updatedAt: sql`now()` })
          .where(eq(runs.id, runId));
        await recordRequest(tx, run, principal, "run.pause_requested", {});
        await notifyRun(tx, runId);
      }
      return { id: runId, state: run.state, pending: "pause" };
    }
    if (!stateAllows("pause", run.state)) refuse("pause", run);
    if (run.state === "running") await abortStaleTurns(tx, runId, "run paused while its worker was gone");
    const updated = await transitionRun(tx, runId, "paused", { ...who(principal), reason: "operator" });
    return { id: runId, state: updated.state };
  });
}

/**
 * paused → queued, or back to waiting when an approval is still pending (a pause must
 * never become a way around approve-run). A pause not yet applied is withdrawn.
 */
export async function resumeRun(db: Db, runId: string, principal: Principal): Promise<ControlResult> {
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (run.state === "running" && run.pauseRequested) {
      await tx
        .update(runs)
        .set({ pauseRequested: false, updatedAt: sql`now()` })
        .where(eq(runs.id, runId));
      await recordRequest(tx, run, principal, "run.pause_withdrawn", {});
      return { id: runId, state: run.state };
    }
    if (!stateAllows("resume", run.state)) refuse("resume", run);
    const [pending] = await tx
      .select({ id: approvals.id })
      .from(approvals)
      .where(and(eq(approvals.runId, runId), eq(approvals.status, "pending")))
      .orderBy(approvals.requestedAt)
      .limit(1);
    const updated = pending
      ? await transitionRun(tx, runId, "waiting", { ...who(principal), reason: "approval", waitingFor: pending.id })
      : await transitionRun(tx, runId, "queued", { ...who(principal), reason: "resumed" });
    return { id: runId, state: updated.state };
  });
}

/**
 * Not running → cancelled now. Running with a turn in flight → cancelled at the boundary;
 * hard: the worker holding the run aborts the turn now (NOTIFY, heartbeat as fallback).
 */
export async function cancelRun(
  db: Db,
  runId: string,
  principal: Principal,
  options: { hard?: boolean } = {},
): Promise<ControlResult> {
  const hard = options.hard === true;
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (run.state === "running" && (await turnInFlight(tx, run))) {
      if (!run.cancelRequested || (hard && !run.abortRequested)) {
        await tx
          .update(runs)
          .set({ cancelRequested: true, abortRequested: run.abortRequested || hard, updatedAt: sql`now()` })
          .where(eq(runs.id, runId));
        await recordRequest(tx, run, principal, "run.cancel_requested", { hard });
        if (hard) await notifyRun(tx, runId, CONTROL_CHANNEL);
        await notifyRun(tx, runId);
      }
      return { id: runId, state: run.state, pending: "cancel" };
    }
    if (!stateAllows("cancel", run.state)) refuse("cancel", run);
    if (run.state === "running") await abortStaleTurns(tx, runId, "run cancelled while its worker was gone");
    const updated = await transitionRun(tx, runId, "cancelled", {
      ...who(principal),
      reason: "operator",
      payload: { hard },
    });
    return { id: runId, state: updated.state };
  });
}

/**
 * A failed, cancelled or timed-out run runs again as a NEW run linked by retry_of, with
 * the same input at the job's current version (see docs/ARCHITECTURE.md "Runs").
 */
export async function retryRun(db: Db, runId: string, principal: Principal): Promise<ControlResult> {
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (!stateAllows("retry", run.state)) refuse("retry", run);
    // Once only: the run row lock serialises concurrent retries, so the second sees the first.
    const [earlier] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.retryOf, run.id)).limit(1);
    if (earlier)
      throw new AppError("conflict", `Run was already retried as ${earlier.id}`, {
        state: run.state,
        retriedAs: earlier.id,
      });
    const created = await createRun(tx, {
      jobId: run.jobId,
      input: run.input,
      trigger: { kind: "retry", ref: run.id },
      actor: principal,
      retryOf: run.id,
    });
    await recordRequest(tx, run, principal, "run.retried", { newRunId: created.id });
    return { id: created.id, state: created.state, retryOf: run.id };
  });
}

export async function applyRunControl(
  db: Db,
  runId: string,
  control: RunControl,
  principal: Principal,
  options: { hard?: boolean } = {},
): Promise<ControlResult> {
  switch (control) {
    case "pause":
      return pauseRun(db, runId, principal);
    case "resume":
      return resumeRun(db, runId, principal);
    case "cancel":
      return cancelRun(db, runId, principal, options);
    case "retry":
      return retryRun(db, runId, principal);
  }
}

/** The most runs one bulk control may name (a page of the list view is at most 200). */
export const BULK_CONTROL_MAX = 500;

export interface BulkControlResult {
  control: RunControl;
  applied: ControlResult[];
  refused: { id: string; code: string; message: string }[];
}

/**
 * One control over many runs: each run is its own change (its own transaction, audit event
 * and refusal), exactly as if the operator had used the control on each card — so one run
 * in the wrong state refuses alone and the answer lists what was refused and why.
 */
export async function bulkRunControl(
  db: Db,
  runIds: readonly string[],
  control: RunControl,
  principal: Principal,
): Promise<BulkControlResult> {
  const result: BulkControlResult = { control, applied: [], refused: [] };
  for (const id of new Set(runIds)) {
    try {
      result.applied.push(await applyRunControl(db, id, control, principal));
    } catch (error) {
      // The runs before this one are already changed and audited: one failure must not hide them.
      if (error instanceof AppError) result.refused.push({ id, code: error.code, message: error.message });
      else if (error instanceof IllegalTransitionError)
        result.refused.push({ id, code: "conflict", message: `Cannot ${control} a run that is ${error.from}` });
      else {
        logger("error", "bulk control failed for a run", { control, runId: id, error: sanitizeError(error) });
        result.refused.push({ id, code: "internal", message: "Something went wrong; try this run again" });
      }
    }
  }
  return result;
}
