import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * What the runtime noticed that needs a person. `notice` is a run's own warning (the
 * notify tool at level warning/critical, e.g. the SLA sweep); `deadlock` is a lock cycle the
 * lock manager broke; `deadline` is reserved (nothing raises it yet).
 */
export const flashcardKinds = [
  "approval",
  "budget",
  "failures",
  "policy",
  "stuck",
  "anomaly",
  "notice",
  "deadline",
  "deadlock",
] as const;
export type FlashcardKind = (typeof flashcardKinds)[number];
export const flashcardSeverities = ["info", "warning", "critical"] as const;
export type FlashcardSeverity = (typeof flashcardSeverities)[number];
/** open and snoozed are live (deduplicated by fingerprint); every other state is final. */
export const flashcardStates = [
  "open",
  "snoozed",
  "approved",
  "rejected",
  "dismissed",
  "expired",
  "withdrawn",
] as const;
export type FlashcardState = (typeof flashcardStates)[number];
export const liveFlashcardStates = ["open", "snoozed"] as const;
export const flashcardDecisionKinds = ["approve", "reject", "snooze", "dismiss", "expire"] as const;
export type FlashcardDecisionKind = (typeof flashcardDecisionKinds)[number];

export interface FlashcardEvidence {
  type: "run" | "turn" | "tool_call" | "audit" | "approval" | "job";
  id: string;
  label?: string;
}

export const flashcards = pgTable(
  "flashcards",
  {
    id: text("id").primaryKey(),
    /** Same fingerprint while live → the same card, count + 1. */
    fingerprint: text("fingerprint").notNull(),
    kind: text("kind", { enum: flashcardKinds }).notNull(),
    severity: text("severity", { enum: flashcardSeverities }).notNull(),
    state: text("state", { enum: flashcardStates }).notNull().default("open"),
    /** What is asked or noticed, in a line. */
    title: text("title").notNull(),
    /** Why it was flagged: a sentence a person reads. */
    why: text("why").notNull(),
    runId: text("run_id"),
    jobId: text("job_id"),
    /** Another subject when there is one (a ticket, an entity, a tool). */
    entity: text("entity"),
    /** For kind approval: the approval row this card decides (one card per approval). */
    approvalId: text("approval_id"),
    evidence: jsonb("evidence").$type<FlashcardEvidence[]>().notNull().default([]),
    /** The excerpt shown on the card (tool + arguments, drafted reply, budget figures…), redacted. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    count: integer("count").notNull().default(1),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    snoozedUntil: timestamp("snoozed_until", { withTimezone: true }),
    /** Approval policy copied from the job at raise time. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    onExpiry: text("on_expiry", { enum: ["approve", "reject"] }),
    approvalsRequired: integer("approvals_required").notNull().default(1),
    approvalsGiven: integer("approvals_given").notNull().default(0),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedByLabel: text("decided_by_label"),
    decisionReason: text("decision_reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("flashcards_live_fingerprint_uq")
      .on(t.fingerprint)
      .where(sql`state in ('open', 'snoozed')`),
    uniqueIndex("flashcards_approval_uq")
      .on(t.approvalId)
      .where(sql`approval_id is not null`),
    index("flashcards_state_idx").on(t.state, t.lastSeenAt, t.id),
    index("flashcards_snoozed_idx")
      .on(t.snoozedUntil)
      .where(sql`state = 'snoozed'`),
    index("flashcards_expiry_idx")
      .on(t.expiresAt)
      .where(sql`state in ('open', 'snoozed') and expires_at is not null`),
    index("flashcards_run_idx").on(t.runId),
    index("flashcards_job_idx").on(t.jobId, t.state),
  ],
);

/** Every decision on a card: who, under what authorization, with what (reason, until, edited input and its diff). */
export const flashcardDecisions = pgTable(
  "flashcard_decisions",
  {
    id: text("id").primaryKey(),
    cardId: text("card_id")
      .notNull()
      .references(() => flashcards.id, { onDelete: "cascade" }),
    decision: text("decision", { enum: flashcardDecisionKinds }).notNull(),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    authorization: jsonb("authorization").$type<Record<string, unknown>>().notNull(),
    reason: text("reason"),
    until: timestamp("until", { withTimezone: true }),
    editedInput: jsonb("edited_input").$type<unknown>(),
    diff: jsonb("diff").$type<unknown>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("flashcard_decisions_card_idx").on(t.cardId, t.createdAt),
    // Two-person approval: one person approves a card once.
    uniqueIndex("flashcard_decisions_one_approval_uq")
      .on(t.cardId, t.actorKind, t.actorId)
      .where(sql`decision = 'approve'`),
  ],
);
