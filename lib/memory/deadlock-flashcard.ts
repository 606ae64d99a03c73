import "server-only";
import type { Tx } from "@/db/client";
import type { DeadlockReport } from "./locks";

/**
 * THE call site for raising a `deadlock` flashcard, inside the transaction that broke the
 * cycle (right after its `memory.deadlock` audit event). The flashcard queue is not part of
 * this build yet, so nothing is raised here; when it lands, this function calls it with the
 * victim, the cycle and the refusal.
 */
export async function raiseDeadlockFlashcard(tx: Tx, report: DeadlockReport): Promise<void> {
  void tx;
  void report;
}
