import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { approvals, signalWaits } from "@/db/schema";
import type { TurnOutcome } from "./turn-executor";

/**
 * Whether a turn's wait outcome still has something to wait for, asked inside the
 * checkpoint (which holds the run row lock). A lead may decide an approval, or a signal may
 * arrive, while the run is still running its turn: parking the run on what is already
 * decided would strand it, since nothing would ever wake it. Both deciders lock the run row
 * first, so each either sees the run waiting (and wakes it) or lands before this check.
 */
export async function waitStillNeeded(
  tx: Tx,
  runId: string,
  outcome: Extract<TurnOutcome, { kind: "wait" }>,
): Promise<boolean> {
  if (outcome.reason === "approval") {
    const [row] = await tx
      .select({ status: approvals.status })
      .from(approvals)
      .where(and(eq(approvals.id, outcome.waitingFor), eq(approvals.runId, runId)));
    // An id that is not an approval (a call key) is waited on as before.
    return !row || row.status === "pending";
  }
  if (outcome.reason === "signal") {
    // Only a wait_for_signal wait that was already resolved is skipped; other signal waits park as before.
    const rows = await tx
      .select({ status: signalWaits.status })
      .from(signalWaits)
      .where(and(eq(signalWaits.runId, runId), eq(signalWaits.name, outcome.waitingFor)));
    return rows.length === 0 || rows.some((r) => r.status === "pending");
  }
  return true;
}
