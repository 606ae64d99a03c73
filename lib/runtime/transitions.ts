import "server-only";
import { eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import { runs, type RunState } from "@/db/schema";
import { flagFailure } from "@/lib/flashcards/hooks";
import { appendAudit, appendAuditEvents } from "@/lib/audit/append";
import type { AuditInput, Authorization } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { releaseRunLocks } from "@/lib/memory/locks";
import { notifyRun } from "./channels";
import { withdrawRunDecisions } from "./run-decisions";
import { announceRunTransition } from "./run-webhook";
import { IllegalTransitionError, LeaseLostError } from "./errors";
import { canTransition, isTerminal } from "./transition-table";

export type RunRow = typeof runs.$inferSelect;
export type RunPatch = Omit<PgUpdateSetSource<typeof runs>, "id" | "state">;

export interface TransitionOptions {
  /** Why: wait reason, "budget", "error", "operator", "rejected"… stored as state_reason. */
  reason?: string | null;
  /** For waiting: what exactly is awaited (approval id, resource, signal name). */
  waitingFor?: string | null;
  actor: AuditInput["actor"];
  authorization: Authorization;
  /** Workers pass their lease token: a stale worker's transition throws LeaseLostError. */
  fence?: { leaseToken: string };
  /** Further columns written in the same UPDATE (output, error, lease…). */
  patch?: RunPatch;
  /** Extra audit payload. */
  payload?: Record<string, unknown>;
  /**
   * Collect the audit event here instead of appending it now; the caller appends the
   * batch (flushAudit) in one insert with the transaction's other events.
   */
  auditSink?: AuditInput[];
  /** The run row as already locked FOR UPDATE by the caller in this transaction (saves a round trip). */
  locked?: RunRow;
  /** The caller sends the run's NOTIFY in a later statement of this transaction (the checkpoint's tail). */
  notifiedByCaller?: boolean;
}

/** Appends the collected events in one insert. */
export async function flushAudit(tx: Tx, sink: AuditInput[]): Promise<void> {
  await appendAuditEvents(tx, sink.splice(0));
}

/**
 * Locks the run row for the rest of the transaction. FOR NO KEY UPDATE (no run key ever
 * changes): it still excludes other writers and the lease fence's FOR SHARE, but not the
 * KEY SHARE that rows referencing the run take.
 */
export async function lockRun(tx: Tx, runId: string): Promise<RunRow> {
  const [row] = await tx.select().from(runs).where(eq(runs.id, runId)).for("no key update");
  if (!row) throw new AppError("not_found", `Run ${runId} not found`);
  return row;
}

/**
 * The one way a run changes state: lock, check the transition table, update, audit and
 * notify, all inside the caller's transaction — except a claim's queued -> running, which
 * flightdeck_take_slot (drizzle/0028_take_slot.sql) writes the same way: change both
 * (tests/runtime/take-slot.test.ts compares them). An illegal transition throws
 * IllegalTransitionError (carrying the current state) before anything is written.
 */
export async function transitionRun(tx: Tx, runId: string, to: RunState, options: TransitionOptions): Promise<RunRow> {
  const current = options.locked?.id === runId ? options.locked : await lockRun(tx, runId);
  if (options.fence && current.leaseToken !== options.fence.leaseToken) throw new LeaseLostError(runId);
  if (!canTransition(current.state, to)) throw new IllegalTransitionError(runId, current.state, to);

  // Approvals and cards before the UPDATE, the run's shared-memory locks after it; the UPDATE's counters
  // lock the key's row at commit (drizzle/0032), after every entity lock.
  const decisions = isTerminal(to) ? await withdrawRunDecisions(tx, runId, `run ${to}`) : null;
  const leavesRunning = to !== "running";
  const [updated] = await tx
    .update(runs)
    .set({
      state: to,
      stateReason: options.reason ?? null,
      waitingFor: to === "waiting" ? (options.waitingFor ?? null) : null,
      updatedAt: sql`now()`,
      ...(to !== current.state ? { stateSince: sql`clock_timestamp()` } : {}),
      ...(to === "running" && current.startedAt === null ? { startedAt: sql`now()` } : {}),
      // The wall clock (as turns stamp theirs): a sweep's transaction can move many runs, long after it began.
      ...(isTerminal(to) ? { finishedAt: sql`clock_timestamp()` } : {}),
      // Only a running run holds a lease or carries boundary requests.
      ...(leavesRunning
        ? {
            leaseToken: null,
            leaseOwner: null,
            leaseExpiresAt: null,
            pauseRequested: false,
            cancelRequested: false,
            abortRequested: false,
          }
        : {}),
      ...options.patch,
    })
    .where(eq(runs.id, runId))
    .returning();
  if (!updated) throw new Error(`run ${runId} vanished under its row lock`);

  if (decisions?.holdsMemoryLocks) await releaseRunLocks(tx, runId);
  if (to === "failed" || to === "timed_out") await flagFailure(tx, updated);

  const event: AuditInput = {
    actor: options.actor,
    action: `run.${to}`,
    subject: { type: "run", id: runId },
    authorization: options.authorization,
    payload: {
      jobId: current.jobId,
      from: current.state,
      to,
      reason: options.reason ?? null,
      ...(to === "waiting" ? { waitingFor: options.waitingFor ?? null } : {}),
      ...options.payload,
    },
  };
  if (options.auditSink) options.auditSink.push(event);
  else await appendAudit(tx, event);
  await announceRunTransition(tx, updated, to, options.reason ?? null, current.state);
  if (!options.notifiedByCaller) await notifyRun(tx, runId);
  return updated;
}
