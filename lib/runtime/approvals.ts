import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { approvals, runs, type RunState } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { assertMayDecide } from "./approval-decider";
import { AppError } from "@/lib/errors";
import { isTerminal } from "./transition-table";
import { lockRun, transitionRun } from "./transitions";

export type ApprovalDecision = "approved" | "rejected";
export type ApprovalRow = typeof approvals.$inferSelect;

export interface DecisionResult {
  approval: ApprovalRow;
  run: { id: string; state: RunState };
}

/**
 * Decides a pending approval and moves its run on, in one transaction. Kind "run":
 * approved → the run is queued for its first turn; rejected → cancelled (reason
 * "rejected"). Kind "tool": either way the run becomes runnable again once nothing else
 * is pending, and the agent-turns code reads the decision in its next turn.
 */
export async function decideApproval(
  db: Db,
  approvalId: string,
  decision: ApprovalDecision,
  principal: Principal,
  note?: string,
): Promise<DecisionResult> {
  return db.transaction(async (tx) => {
    // Run row first, then the approval: the order transitionRun (which withdraws a finished
    // run's approvals) and the tool gate use. Locking the approval first deadlocks with a cancel.
    const [ref] = await tx.select({ runId: approvals.runId }).from(approvals).where(eq(approvals.id, approvalId));
    if (!ref) throw new AppError("not_found", `Approval ${approvalId} not found`);
    const run = await lockRun(tx, ref.runId);
    const [approval] = await tx.select().from(approvals).where(eq(approvals.id, approvalId)).for("update");
    if (!approval) throw new AppError("not_found", `Approval ${approvalId} not found`);
    if (approval.status !== "pending") {
      throw new AppError("conflict", `Approval is already ${approval.status}`, { status: approval.status });
    }
    await assertMayDecide(tx, run, principal);
    const actor = auditActor(principal);
    const authorization = auditAuthorization(principal, "runs.approve");
    const [decided] = await tx
      .update(approvals)
      .set({
        status: decision,
        decidedByKind: actor.kind,
        decidedById: actor.id,
        decidedByLabel: actor.label,
        decidedAt: sql`now()`,
        note: note ?? null,
      })
      .where(eq(approvals.id, approvalId))
      .returning();
    if (!decided) throw new Error(`approval ${approvalId} vanished under its row lock`);
    await appendAudit(tx, {
      actor,
      authorization,
      action: `approval.${decision}`,
      subject: { type: "approval", id: approvalId },
      payload: { runId: run.id, jobId: run.jobId, kind: approval.kind, subject: approval.subject, note: note ?? null },
    });

    let state = run.state;
    const common = { actor, authorization, payload: { approvalId }, locked: run };
    if (approval.kind === "run" && decision === "rejected") {
      if (!isTerminal(run.state)) state = (await transitionRun(tx, run.id, "cancelled", { ...common, reason: "rejected" })).state;
    } else if (run.state === "waiting" && run.stateReason === "approval") {
      const [other] = await tx
        .select({ id: approvals.id })
        .from(approvals)
        .where(and(eq(approvals.runId, run.id), eq(approvals.status, "pending"), ne(approvals.id, approvalId)))
        .limit(1);
      if (other) {
        // Still waiting, now for the next pending approval.
        await tx.update(runs).set({ waitingFor: other.id, updatedAt: sql`now()` }).where(eq(runs.id, run.id));
      } else {
        state = (await transitionRun(tx, run.id, "queued", { ...common, reason: decision })).state;
      }
    }
    return { approval: decided, run: { id: run.id, state } };
  });
}

export const decisionBody = z.strictObject({ note: z.string().trim().max(2000).optional() });

/** URL verb → stored decision. */
export function decisionFromVerb(verb: string): ApprovalDecision | null {
  if (verb === "approve") return "approved";
  if (verb === "reject") return "rejected";
  return null;
}
