import "server-only";
import { notifyLive } from "@/lib/live/channel";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { flashcardDecisions, flashcards, liveFlashcardStates } from "@/db/schema";
import type { AuditInput } from "@/lib/audit/types";
import type { Authorization } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { enqueueCardWebhook } from "./card-webhook";
import { approvalPolicyFor } from "./policy";
import { raiseFlashcard } from "./raise";
import type { FlashcardRow } from "./types";

export interface ApprovalCardInput {
  approvalId: string;
  runId: string;
  jobId: string;
  kind: "run" | "tool";
  governance: Record<string, unknown>;
  /** run: the job and purpose; tool: the tool, its arguments (redacted), the model's draft. */
  details: Record<string, unknown>;
  auditSink?: AuditInput[];
}

/**
 * The card for a new approval, raised in the approval's own transaction (one card per
 * approval: its fingerprint is the approval id). Carries the job's expiry policy and, for
 * risk "high", the need for two different approvers.
 */
export async function raiseApprovalCard(tx: Tx, input: ApprovalCardInput): Promise<string> {
  const policy = approvalPolicyFor(input.jobId, input.governance.riskLevel);
  const tool = typeof input.details.tool === "string" ? input.details.tool : null;
  const about = summaryOf(input.details.input);
  const title =
    input.kind === "tool"
      ? `Approve ${tool ?? "a tool call"}${about ? ` ${about}` : ""} for a ${input.jobId} run`
      : `Approve a ${input.jobId} run${about ? ` ${about}` : ""} before it starts`;
  const why =
    input.kind === "tool"
      ? `Job "${input.jobId}" has human oversight approve-tools and ${tool ?? "this tool"} has an external side effect; the run waits for a decision.`
      : `Job "${input.jobId}" has human oversight approve-run; the run starts only once a lead approves it.`;
  const expiry = policy.expiresAt
    ? ` Unanswered, it is ${policy.onExpiry === "approve" ? "approved" : "rejected"} at ${policy.expiresAt.toISOString()}.`
    : "";
  const two = policy.approvalsRequired > 1 ? " Risk is high: two different people must approve." : "";
  const raised = await raiseFlashcard(
    tx,
    {
      kind: "approval",
      fingerprint: `approval:${input.approvalId}`,
      severity: input.governance.riskLevel === "high" ? "critical" : "warning",
      title,
      why: `${why}${two}${expiry}`,
      runId: input.runId,
      jobId: input.jobId,
      entity: tool,
      approvalId: input.approvalId,
      evidence: [
        { type: "run", id: input.runId },
        { type: "approval", id: input.approvalId },
        ...(typeof input.details.callKey === "string"
          ? [{ type: "tool_call" as const, id: input.details.callKey }]
          : []),
      ],
      details: { approvalKind: input.kind, ...input.details },
      expiresAt: policy.expiresAt,
      onExpiry: policy.onExpiry,
      approvalsRequired: policy.approvalsRequired,
    },
    { auditSink: input.auditSink, onRepeat: "ignore" },
  );
  return raised.id;
}

/** A few words that tell one approval from the next: the input's subject, title, customer or path. */
function summaryOf(input: unknown): string | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return null;
  const record = input as Record<string, unknown>;
  for (const key of ["subject", "title", "customer", "email", "to", "path", "url", "name"]) {
    const value = record[key];
    if (typeof value === "string" && value.trim()) {
      const text = value.trim().replace(/\s+/g, " ");
      return `“${text.length > 60 ? `${text.slice(0, 60)}…` : text}”`;
    }
  }
  return null;
}

export async function lockApprovalCard(tx: Tx, approvalId: string): Promise<FlashcardRow | undefined> {
  const [card] = await tx.select().from(flashcards).where(eq(flashcards.approvalId, approvalId)).for("update");
  return card;
}

export interface Vote {
  actor: AuditInput["actor"];
  authorization: Authorization;
  reason?: string | null;
  editedInput?: unknown;
  diff?: unknown;
}

/**
 * Records one approver's "approve" on a card that needs several (risk high). The same
 * person twice is refused (409). Returns how many have approved and how many are needed.
 * The caller holds the run and approval locks, so two approvals at once are serialised.
 */
export async function recordApprovalVote(
  tx: Tx,
  card: FlashcardRow,
  vote: Vote,
): Promise<{ given: number; required: number }> {
  const [mine] = await tx
    .select({ id: flashcardDecisions.id })
    .from(flashcardDecisions)
    .where(
      and(
        eq(flashcardDecisions.cardId, card.id),
        eq(flashcardDecisions.decision, "approve"),
        eq(flashcardDecisions.actorKind, vote.actor.kind),
        vote.actor.id === null
          ? sql`${flashcardDecisions.actorId} is null`
          : eq(flashcardDecisions.actorId, vote.actor.id),
      ),
    );
  if (mine) {
    throw new AppError(
      "conflict",
      `${vote.actor.label} has already approved this card; a second, different person must approve it`,
      {
        state: card.state,
        approvals: { given: card.approvalsGiven, required: card.approvalsRequired },
      },
    );
  }
  await insertDecision(tx, card.id, "approve", vote);
  const given = card.approvalsGiven + 1;
  await tx
    .update(flashcards)
    .set({ approvalsGiven: given, updatedAt: sql`now()` })
    .where(eq(flashcards.id, card.id));
  await notifyLive(tx, "flashcard", card.id);
  return { given, required: card.approvalsRequired };
}

export async function insertDecision(
  tx: Tx,
  cardId: string,
  decision: "approve" | "reject" | "snooze" | "dismiss" | "expire",
  vote: Vote & { until?: Date | null },
): Promise<void> {
  await tx.insert(flashcardDecisions).values({
    id: `fcd_${randomUUID()}`,
    cardId,
    decision,
    actorKind: vote.actor.kind,
    actorId: vote.actor.id,
    actorLabel: vote.actor.label,
    authorization: vote.authorization,
    reason: vote.reason ?? null,
    until: vote.until ?? null,
    editedInput: vote.editedInput === undefined ? null : vote.editedInput,
    diff: vote.diff === undefined ? null : vote.diff,
  });
}

/** Closes an approval's card with the approval's outcome (approved, rejected, expired, withdrawn). */
export async function closeApprovalCard(
  tx: Tx,
  approvalId: string,
  state: "approved" | "rejected" | "expired" | "withdrawn",
  decidedBy: string | null,
  reason: string | null,
): Promise<void> {
  const [card] = await tx
    .update(flashcards)
    .set({
      state,
      decidedAt: sql`now()`,
      decidedByLabel: decidedBy,
      decisionReason: reason,
      snoozedUntil: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(flashcards.approvalId, approvalId), inArray(flashcards.state, [...liveFlashcardStates])))
    .returning();
  if (card) {
    await enqueueCardWebhook(tx, "flashcard.decided", card, {
      decision: state,
      by: decidedBy ?? "the runtime",
      reason,
    });
    await notifyLive(tx, "flashcard", card.id);
  }
}
