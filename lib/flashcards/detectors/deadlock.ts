import type { RaiseInput } from "../types";

/** One edge of a broken wait-for cycle: `runId` waited for `entity`, which `blockedBy` held or was ahead for. */
export interface DeadlockEdge {
  runId: string;
  entity: string;
  blockedBy: string;
}

/**
 * A cycle of lock waits the lock manager broke: the victim's request was refused and the
 * model was told why. The card lets a lead see which runs fought over which entities (a job
 * whose declared locks are taken in inconsistent order deadlocks again). One card per set of
 * runs while open, however many times the same runs collide. Pure.
 */
export function detectDeadlock(d: { victim: DeadlockEdge; cycle: DeadlockEdge[]; reason: string }): RaiseInput {
  const runIds = [...new Set(d.cycle.map((e) => e.runId))].sort();
  const entities = [...new Set(d.cycle.map((e) => e.entity))].sort();
  return {
    kind: "deadlock",
    fingerprint: `deadlock:${runIds.join(",")}`,
    severity: "warning",
    title: `Deadlock broken: ${runIds.length} runs waited on each other for ${entities.join(", ")}`,
    why:
      `Run ${d.victim.runId} waited for ${d.victim.entity} while holding a lock the others in the cycle waited for. ` +
      `The lock manager refused its request (victim: lowest priority, then youngest run); its model reads the refusal ` +
      `as the result of that memory_lock call; ` +
      `the other runs carry on.`,
    runId: d.victim.runId,
    entity: d.victim.entity,
    evidence: runIds.map((id) => ({
      type: "run" as const,
      id,
      label: id === d.victim.runId ? "victim" : "in the cycle",
    })),
    details: { victim: d.victim, cycle: d.cycle, refusal: d.reason },
  };
}
