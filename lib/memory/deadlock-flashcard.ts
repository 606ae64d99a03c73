import "server-only";
import type { Tx } from "@/db/client";
import { detectDeadlock } from "@/lib/flashcards/detectors/deadlock";
import { raiseFlashcard } from "@/lib/flashcards/raise";
import type { DeadlockReport } from "./wait-graph";

const edge = (e: { from: string; to: string; entity: string }) => ({
  runId: e.from,
  entity: e.entity,
  blockedBy: e.to,
});

/**
 * Raises the `deadlock` flashcard inside the transaction that broke the cycle (right after
 * its `memory.deadlock` audit event), so the card exists exactly when the refusal committed.
 */
export async function raiseDeadlockFlashcard(tx: Tx, report: DeadlockReport): Promise<void> {
  const { victim, cycle } = report.deadlock;
  await raiseFlashcard(tx, detectDeadlock({ victim: edge(victim), cycle: cycle.map(edge), reason: report.reason }));
}
