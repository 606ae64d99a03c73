import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { AuditInput } from "@/lib/audit/types";
import { runs } from "@/db/schema";
import { noteResourceWait } from "@/lib/resources/wake";
import { runAuthorization, workerActor } from "@/lib/audit";
import { notifyRun } from "./channels";
import { dbNowMs, wallClockExceeded } from "./db-time";
import type { TurnOutcome } from "./turn-executor";
import { transitionRun, type RunPatch, type RunRow } from "./transitions";
import { waitStillNeeded } from "./wait-guard";

/**
 * What happens to a run after a checkpointed turn, decided at the turn boundary (inside
 * the checkpoint transaction). Precedence: a finished run finishes (complete/fail); then
 * operator requests (cancel over pause); then budgets (turns/tokens → failed "budget",
 * wall clock → timed_out); otherwise the lease is released and the run is runnable again.
 * `extra.patch` rides along in the one UPDATE of the run this makes (the checkpoint's
 * turn and token counters), and `extra.nowMs` is the database clock the caller already
 * read, so the turn boundary costs no further round trips. Every path changes the run's
 * state or releases its lease and so notifies it — in its tail, with `extra.notifiedByCaller`.
 * Answers whether the run is runnable again (its lease released, no state change).
 */
export async function applyOutcome(
  tx: Tx,
  run: RunRow,
  outcome: TurnOutcome,
  lease: { workerId: string; leaseToken: string },
  auditSink?: AuditInput[],
  extra: { patch?: RunPatch; nowMs?: number; notifiedByCaller?: boolean } = {},
): Promise<boolean> {
  const carry = extra.patch ?? {};
  const notifiedByCaller = extra.notifiedByCaller ?? false;
  const base = {
    notifiedByCaller,
    actor: workerActor(lease.workerId),
    authorization: runAuthorization(run),
    fence: { leaseToken: lease.leaseToken },
    auditSink,
    // The checkpoint locked the row and has just written it: this is its current content.
    locked: run,
  };
  if (outcome.kind === "complete") {
    await transitionRun(tx, run.id, "succeeded", {
      ...base,
      reason: null,
      patch: { ...carry, output: outcome.output ?? null, outcome: outcome.outcome ?? null },
    });
    return false;
  }
  if (outcome.kind === "fail") {
    await transitionRun(tx, run.id, "failed", {
      ...base,
      reason: outcome.reason,
      patch: { ...carry, error: outcome.message },
    });
    return false;
  }
  if (run.cancelRequested) {
    await transitionRun(tx, run.id, "cancelled", { ...base, reason: "operator", patch: carry });
    return false;
  }
  if (run.pauseRequested) {
    await transitionRun(tx, run.id, "paused", { ...base, reason: "operator", patch: carry });
    return false;
  }
  if (outcome.kind === "wait" && (await waitStillNeeded(tx, run.id, outcome))) {
    // A signal or lock wait says which: reason `signal:<name>` / `lock:<entity>`.
    const reason =
      outcome.reason === "signal" || outcome.reason === "lock"
        ? `${outcome.reason}:${outcome.waitingFor}`
        : outcome.reason;
    await transitionRun(tx, run.id, "waiting", { ...base, reason, waitingFor: outcome.waitingFor, patch: carry });
    if (outcome.reason === "resource") noteResourceWait();
    return false;
  }
  const budget = budgetExhausted(run);
  if (budget) {
    await transitionRun(tx, run.id, "failed", { ...base, reason: "budget", patch: { ...carry, error: budget } });
    return false;
  }
  if (wallClockExceeded(run, extra.nowMs ?? (await dbNowMs(tx)))) {
    await transitionRun(tx, run.id, "timed_out", { ...base, reason: "wall_clock", patch: carry });
    return false;
  }
  await tx
    .update(runs)
    .set({
      ...carry,
      leaseToken: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      stateReason: null,
      updatedAt: sql`now()`,
    })
    .where(eq(runs.id, run.id));
  if (!notifiedByCaller) await notifyRun(tx, run.id);
  return true;
}

function budgetExhausted(run: RunRow): string | null {
  if (run.turnsUsed >= run.budgetTurns) return `turn budget exhausted (${run.turnsUsed}/${run.budgetTurns})`;
  if (run.tokensUsed >= run.budgetTokens) return `token budget exhausted (${run.tokensUsed}/${run.budgetTokens})`;
  return null;
}
