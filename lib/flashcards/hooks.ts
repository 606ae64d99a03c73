import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { runs } from "@/db/schema";
import type { AuditInput } from "@/lib/audit/types";
import { TokenNorms } from "./detectors/anomaly";
import { detectBudget, type BudgetSnapshot } from "./detectors/budget";
import { detectFailures, FAILURE_WINDOW } from "./detectors/failures";
import { detectNotice } from "./detectors/notice";
import { detectPolicy } from "./detectors/policy";
import { detectRecoveryLoop } from "./detectors/stuck";
import { raiseFlashcard } from "./raise";

/*
 * Where the runtime calls the detectors: at the event that can change their answer, inside
 * the event's own transaction, so a card exists exactly when its cause committed. None of
 * these scans runs; the common case (nothing to flag) costs no query at all, except a
 * failing run, which reads its job's last ten finished runs through runs_job_idx.
 */

const norms = new TokenNorms();

/** At a turn's checkpoint: budget thresholds and token anomalies. */
export async function flagCheckpoint(
  tx: Tx,
  before: BudgetSnapshot & { updatedAt: Date },
  after: BudgetSnapshot,
  turn: { index: number; tokens: number },
  auditSink: AuditInput[],
): Promise<void> {
  const found = detectBudget(before, after, before.updatedAt.getTime(), Date.now());
  const anomaly = norms.observe({ runId: after.id, jobId: after.jobId, turnIndex: turn.index, tokens: turn.tokens });
  if (anomaly) found.push(anomaly);
  for (const card of found) await raiseFlashcard(tx, card, { auditSink });
}

/** When a run fails or times out: a streak or a high failure rate of its job. */
export async function flagFailure(tx: Tx, run: { id: string; jobId: string }): Promise<void> {
  const recent = await tx
    .select({ id: runs.id, state: runs.state })
    .from(runs)
    .where(and(eq(runs.jobId, run.jobId), inArray(runs.state, ["succeeded", "failed", "cancelled", "timed_out"])))
    .orderBy(desc(runs.createdAt))
    .limit(FAILURE_WINDOW);
  // The failing run's own row is already updated in this transaction, so it is in `recent`.
  const card = detectFailures(
    run.jobId,
    recent.filter((r) => r.state !== "cancelled"),
  );
  if (card) await raiseFlashcard(tx, card);
}

/** At the gateway's refusal of a tool call (allowlist, invalid input, escape, quota). */
export async function flagRefusal(tx: Tx, refusal: Parameters<typeof detectPolicy>[0]): Promise<void> {
  await raiseFlashcard(tx, detectPolicy(refusal));
}

/** When a run leaves a warning or critical message for the operators (notify). */
export async function flagNotice(tx: Tx, notice: Parameters<typeof detectNotice>[0]): Promise<void> {
  const card = detectNotice(notice);
  if (card) await raiseFlashcard(tx, card);
}

/** At a claim that recovers a run whose worker was lost mid-turn. */
export async function flagRecovery(
  tx: Tx,
  run: Parameters<typeof detectRecoveryLoop>[0],
  auditSink: AuditInput[],
): Promise<void> {
  const card = detectRecoveryLoop(run);
  if (card) await raiseFlashcard(tx, card, { auditSink, onRepeat: "ignore" });
}
