import "server-only";
import { notifyLive } from "@/lib/live/channel";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { approvals, flashcards } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { auditActor, auditAuthorization, type Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { decideApprovalInTx } from "@/lib/runtime/approvals";
import { getTool, toolRedactor } from "@/lib/tools";
import { insertDecision } from "./approval-cards";
import { diffInput } from "./diff";
import { enqueueCardWebhook } from "./card-webhook";
import type { FlashcardRow } from "./types";

/** Body of POST /api/flashcards/{id}/decision. */
export const flashcardDecisionBody = z
  .strictObject({
    decision: z.enum(["approve", "reject", "snooze", "dismiss"]),
    reason: z.string().trim().min(1).max(2000).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    editedInput: z.unknown().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.decision === "reject" && !body.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "A rejection needs a reason" });
    if (body.decision === "snooze") {
      if (!body.until)
        ctx.addIssue({ code: "custom", path: ["until"], message: "A snooze needs a time to return (until)" });
      else if (Date.parse(body.until) <= Date.now())
        ctx.addIssue({ code: "custom", path: ["until"], message: "until must be in the future" });
    }
    if (body.editedInput !== undefined && body.decision !== "approve") {
      ctx.addIssue({ code: "custom", path: ["editedInput"], message: "Edited arguments go with an approve decision" });
    }
  });
export type FlashcardDecisionBody = z.infer<typeof flashcardDecisionBody>;

export interface FlashcardDecisionResult {
  card: FlashcardRow;
  /** Two-person approval: "1 of 2" until the second, different person approves. */
  approvals: { given: number; required: number };
  run: { id: string; state: string } | null;
}

function conflict(card: FlashcardRow): AppError {
  return new AppError(
    "conflict",
    `This card is already ${card.state}${card.decidedByLabel ? ` (by ${card.decidedByLabel})` : ""}`,
    {
      state: card.state,
      card: {
        id: card.id,
        state: card.state,
        decidedByLabel: card.decidedByLabel,
        decidedAt: card.decidedAt,
        decisionReason: card.decisionReason,
      },
    },
  );
}

/**
 * Decides a card, once. Approval cards go through the approval (decideApprovalInTx: the
 * run resumes or is cancelled, a rejected tool call reaches the model as a refusal);
 * snooze hides a card until a time; dismiss closes an information card. A second decision
 * on a decided card → 409 with the card's state. Every decision is audited with the
 * decider and the authorization they acted under.
 */
export async function decideFlashcard(
  db: Db,
  cardId: string,
  body: FlashcardDecisionBody,
  principal: Principal,
): Promise<FlashcardDecisionResult> {
  return db.transaction(async (tx) => {
    const [peek] = await tx.select().from(flashcards).where(eq(flashcards.id, cardId));
    if (!peek) throw new AppError("not_found", `Flashcard ${cardId} not found`);
    if (peek.approvalId && (body.decision === "approve" || body.decision === "reject")) {
      return decideApprovalCard(tx, peek, peek.approvalId, body, principal);
    }
    if (peek.approvalId && body.decision === "dismiss") {
      throw new AppError("bad_request", "An approval is approved or rejected, not dismissed", {
        issues: [{ path: ["decision"], message: "Approve or reject an approval card" }],
      });
    }
    if (!peek.approvalId && body.decision === "approve") {
      throw new AppError("bad_request", `A ${peek.kind} card asks for no approval: dismiss it or snooze it`, {
        issues: [{ path: ["decision"], message: "approve applies to approval cards only" }],
      });
    }
    const [card] = await tx.select().from(flashcards).where(eq(flashcards.id, cardId)).for("update");
    if (!card) throw new AppError("not_found", `Flashcard ${cardId} not found`);
    if (card.state !== "open" && card.state !== "snoozed") throw conflict(card);
    const actor = auditActor(principal);
    const authorization = auditAuthorization(principal, "flashcards.decide");
    const until = body.until ? new Date(body.until) : null;
    await insertDecision(tx, card.id, body.decision, { actor, authorization, reason: body.reason ?? null, until });
    const next =
      body.decision === "snooze"
        ? { state: "snoozed" as const, snoozedUntil: until, updatedAt: sql`now()` }
        : {
            state: body.decision === "reject" ? ("rejected" as const) : ("dismissed" as const),
            decidedAt: sql`now()`,
            decidedByLabel: actor.label,
            decisionReason: body.reason ?? null,
            snoozedUntil: null,
            updatedAt: sql`now()`,
          };
    const [updated] = await tx.update(flashcards).set(next).where(eq(flashcards.id, card.id)).returning();
    if (!updated) throw new Error(`flashcard ${card.id} vanished under its row lock`);
    await notifyLive(tx, "flashcard", card.id);
    await appendAudit(tx, {
      actor,
      authorization,
      action: `flashcard.${body.decision === "snooze" ? "snoozed" : body.decision === "reject" ? "rejected" : "dismissed"}`,
      subject: { type: "flashcard", id: card.id },
      payload: {
        kind: card.kind,
        runId: card.runId,
        jobId: card.jobId,
        reason: body.reason ?? null,
        ...(until ? { until: until.toISOString() } : {}),
      },
    });
    await enqueueCardWebhook(tx, "flashcard.decided", updated, {
      decision: body.decision,
      by: actor.label,
      reason: body.reason ?? null,
    });
    return {
      card: updated,
      approvals: { given: updated.approvalsGiven, required: updated.approvalsRequired },
      run: null,
    };
  });
}

async function decideApprovalCard(
  tx: Tx,
  peek: FlashcardRow,
  approvalId: string,
  body: FlashcardDecisionBody,
  principal: Principal,
): Promise<FlashcardDecisionResult> {
  if (peek.state !== "open" && peek.state !== "snoozed") throw conflict(peek);
  let edit: { editedInput: unknown; diff: unknown } | undefined;
  if (body.editedInput !== undefined) {
    const [approval] = await tx.select().from(approvals).where(eq(approvals.id, approvalId));
    const toolName =
      approval?.kind === "tool" && typeof approval.details.tool === "string" ? approval.details.tool : null;
    const tool = toolName ? getTool(toolName) : undefined;
    if (!approval || !tool) {
      throw new AppError("bad_request", "Only a tool call's arguments can be edited", {
        issues: [{ path: ["editedInput"], message: "This approval has no tool arguments" }],
      });
    }
    const parsed = tool.input.safeParse(body.editedInput);
    if (!parsed.success) {
      throw new AppError("bad_request", `The edited arguments do not match ${tool.name}'s schema`, {
        issues: parsed.error.issues.map((i) => ({ ...i, path: ["editedInput", ...i.path] })),
      });
    }
    const redacted = toolRedactor().redact(parsed.data);
    edit = { editedInput: parsed.data, diff: diffInput(approval.details.input, redacted) };
  }
  try {
    const result = await decideApprovalInTx(
      tx,
      approvalId,
      body.decision === "approve" ? "approved" : "rejected",
      principal,
      {
        note: body.reason,
        ...(edit ?? {}),
      },
    );
    const [card] = await tx.select().from(flashcards).where(eq(flashcards.approvalId, approvalId));
    if (!card) throw new Error(`approval card for ${approvalId} vanished`);
    return {
      card,
      approvals: result.approvals ?? { given: card.approvalsGiven, required: card.approvalsRequired },
      run: result.run,
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict") {
      const [card] = await tx.select().from(flashcards).where(eq(flashcards.approvalId, approvalId));
      if (card && card.state !== "open" && card.state !== "snoozed") throw conflict(card);
    }
    throw error;
  }
}
