import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { approvals, runs, type RunState } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/types";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Authorization, Principal } from "@/lib/audit";
import { assertMayDecide } from "./approval-decider";
import { AppError } from "@/lib/errors";
import {
  closeApprovalCard,
  lockApprovalCard,
  recordApprovalVote,
  insertDecision,
} from "@/lib/flashcards/approval-cards";
import { isTerminal } from "./transition-table";
import { lockRun, transitionRun } from "./transitions";

export type ApprovalDecision = "approved" | "rejected";
export type ApprovalRow = typeof approvals.$inferSelect;

export interface DecisionResult {
  approval: ApprovalRow;
  run: { id: string; state: RunState };
  /** Two-person approval: how many have approved so far and how many are needed. */
  approvals?: { given: number; required: number };
}

export interface DecisionOptions {
  note?: string;
  /** Edit-then-approve: arguments already validated against the tool's schema, and their diff. */
  editedInput?: unknown;
  diff?: unknown;
  /** Who acts, when it is the runtime applying a default (expiry) rather than a principal. */
  as?: { actor: AuditInput["actor"]; authorization: Authorization; action: string };
}

/**
 * Decides a pending approval and moves its run on, in one transaction. Kind "run":
 * approved → the run is queued for its first turn; rejected → cancelled (reason
 * "rejected"). Kind "tool": either way the run becomes runnable again once nothing else
 * is pending, and the agent-turns code reads the decision in its next turn. The
 * approval's flashcard is kept in step: a risk-high job needs two different approvers
 * (the first approval answers "1 of 2" and leaves the approval pending).
 */
export async function decideApproval(
  db: Db,
  approvalId: string,
  decision: ApprovalDecision,
  principal: Principal,
  note?: string,
): Promise<DecisionResult> {
  return db.transaction((tx) => decideApprovalInTx(tx, approvalId, decision, principal, { note }));
}

export async function decideApprovalInTx(
  tx: Tx,
  approvalId: string,
  decision: ApprovalDecision,
  principal: Principal,
  options: DecisionOptions = {},
): Promise<DecisionResult> {
  const note = options.note;
  // Run row first, then the approval, then its card: the order transitionRun (which withdraws
  // a finished run's approvals and cards) and the tool gate use.
  const [ref] = await tx.select({ runId: approvals.runId }).from(approvals).where(eq(approvals.id, approvalId));
  if (!ref) throw new AppError("not_found", `Approval ${approvalId} not found`);
  const run = await lockRun(tx, ref.runId);
  const [approval] = await tx.select().from(approvals).where(eq(approvals.id, approvalId)).for("update");
  if (!approval) throw new AppError("not_found", `Approval ${approvalId} not found`);
  const card = await lockApprovalCard(tx, approvalId);
  if (approval.status !== "pending") {
    throw new AppError("conflict", `Approval is already ${approval.status}`, { status: approval.status });
  }
  // Human oversight: a person, not the one who started the run (the runtime applying an expiry default is exempt).
  if (!options.as) await assertMayDecide(tx, run, principal);
  const actor = options.as?.actor ?? auditActor(principal);
  const authorization = options.as?.authorization ?? auditAuthorization(principal, "runs.approve");
  const vote = { actor, authorization, reason: note ?? null, editedInput: options.editedInput, diff: options.diff };

  if (card && !options.as) {
    if (decision === "approved" && card.approvalsRequired > 1) {
      const votes = await recordApprovalVote(tx, card, vote);
      if (votes.given < votes.required) {
        await appendAudit(tx, {
          actor,
          authorization,
          action: "approval.approved_partial",
          subject: { type: "approval", id: approvalId },
          payload: {
            runId: run.id,
            jobId: run.jobId,
            cardId: card.id,
            given: votes.given,
            required: votes.required,
            note: note ?? null,
          },
        });
        return { approval, run: { id: run.id, state: run.state }, approvals: votes };
      }
    } else {
      await insertDecision(tx, card.id, decision === "approved" ? "approve" : "reject", vote);
    }
  }

  const [decided] = await tx
    .update(approvals)
    .set({
      status: decision,
      decidedByKind: actor.kind,
      decidedById: actor.id,
      decidedByLabel: actor.label,
      decidedAt: sql`now()`,
      note: note ?? null,
      ...(options.editedInput !== undefined && decision === "approved" ? { editedInput: options.editedInput } : {}),
    })
    .where(eq(approvals.id, approvalId))
    .returning();
  if (!decided) throw new Error(`approval ${approvalId} vanished under its row lock`);
  await appendAudit(tx, {
    actor,
    authorization,
    action: options.as?.action ?? `approval.${decision}`,
    subject: { type: "approval", id: approvalId },
    payload: {
      runId: run.id,
      jobId: run.jobId,
      kind: approval.kind,
      subject: approval.subject,
      note: note ?? null,
      ...(card ? { cardId: card.id } : {}),
      ...(options.as ? { decision } : {}),
      ...(options.diff !== undefined ? { editedInput: options.editedInput, diff: options.diff } : {}),
    },
  });
  await closeApprovalCard(tx, approvalId, options.as ? "expired" : decision, actor.label, note ?? null);

  let state = run.state;
  const common = { actor, authorization, payload: { approvalId }, locked: run };
  if (approval.kind === "run" && decision === "rejected") {
    if (!isTerminal(run.state))
      state = (await transitionRun(tx, run.id, "cancelled", { ...common, reason: "rejected" })).state;
  } else if (run.state === "waiting" && run.stateReason === "approval") {
    const [other] = await tx
      .select({ id: approvals.id })
      .from(approvals)
      .where(and(eq(approvals.runId, run.id), eq(approvals.status, "pending"), ne(approvals.id, approvalId)))
      .limit(1);
    if (other) {
      // Still waiting, now for the next pending approval.
      await tx
        .update(runs)
        .set({ waitingFor: other.id, updatedAt: sql`now()` })
        .where(eq(runs.id, run.id));
    } else {
      state = (await transitionRun(tx, run.id, "queued", { ...common, reason: decision })).state;
    }
  }
  if (!card) return { approval: decided, run: { id: run.id, state } };
  const given = decision === "approved" && !options.as ? card.approvalsRequired : card.approvalsGiven;
  return { approval: decided, run: { id: run.id, state }, approvals: { given, required: card.approvalsRequired } };
}

export const decisionBody = z.strictObject({ note: z.string().trim().max(2000).optional() });

/** URL verb → stored decision. */
export function decisionFromVerb(verb: string): ApprovalDecision | null {
  if (verb === "approve") return "approved";
  if (verb === "reject") return "rejected";
  return null;
}
