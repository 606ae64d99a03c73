import type { RaiseInput } from "../types";

/** A run recovered this many times (its worker lost mid-turn again and again) is stuck. */
export const STUCK_RECOVERIES = 3;

/** Stuck detector for a waiting run past the threshold (found by the periodic sweep). Pure. */
export function detectStuckWait(
  run: { id: string; jobId: string; stateReason: string | null; waitingFor: string | null; waitedMs: number },
  thresholdMs: number,
): RaiseInput | null {
  if (run.waitedMs < thresholdMs || run.stateReason === "approval") return null;
  const minutes = Math.round(run.waitedMs / 60_000);
  return {
    kind: "stuck",
    fingerprint: `stuck:${run.id}:waiting`,
    severity: run.waitedMs >= 4 * thresholdMs ? "critical" : "warning",
    title: `A ${run.jobId} run has waited ${minutes} min for ${run.stateReason ?? "something"}`,
    why: `It waits for ${run.stateReason ?? "?"}${run.waitingFor ? ` (${run.waitingFor})` : ""} for ${minutes} min, beyond the ${Math.round(thresholdMs / 60_000)} min a wait normally takes. Nothing may ever wake it: cancel it or send what it waits for.`,
    runId: run.id,
    jobId: run.jobId,
    evidence: [{ type: "run", id: run.id }],
    details: { stateReason: run.stateReason, waitingFor: run.waitingFor, waitedMs: run.waitedMs },
  };
}

/** Stuck detector at a claim that recovers a run (lease expired mid-turn). Pure. */
export function detectRecoveryLoop(run: {
  id: string;
  jobId: string;
  attempt: number;
  previousOwner: string | null;
}): RaiseInput | null {
  if (run.attempt <= STUCK_RECOVERIES) return null;
  return {
    kind: "stuck",
    fingerprint: `stuck:${run.id}:recovering`,
    severity: "critical",
    title: `A ${run.jobId} run keeps losing its worker (attempt ${run.attempt})`,
    why: `Its turn was recovered ${run.attempt - 1} times after the worker holding it stopped renewing the lease (last: ${run.previousOwner ?? "unknown"}). A turn that crashes or hangs its worker will keep doing so.`,
    runId: run.id,
    jobId: run.jobId,
    evidence: [{ type: "run", id: run.id }],
    details: { attempt: run.attempt, previousOwner: run.previousOwner },
  };
}
