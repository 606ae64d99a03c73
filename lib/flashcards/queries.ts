import "server-only";
import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import {
  flashcardDecisions,
  flashcardKinds,
  flashcards,
  flashcardSeverities,
  flashcardStates,
  jobs,
  runs,
  turns,
} from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { FlashcardRow } from "./types";

export const FLASHCARD_PAGE_MAX = 200;

/** Query of GET /api/flashcards. state "live" = open + snoozed; default open. */
export const listFlashcardsQuery = z.strictObject({
  state: z.enum([...flashcardStates, "live", "all"]).default("open"),
  kind: z.enum(flashcardKinds).optional(),
  job: z.string().min(1).max(64).optional(),
  severity: z.enum(flashcardSeverities).optional(),
  fingerprint: z.string().min(1).max(500).optional(),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(FLASHCARD_PAGE_MAX).default(50),
});
export type ListFlashcardsQuery = z.output<typeof listFlashcardsQuery>;

export interface FlashcardPage {
  cards: FlashcardRow[];
  nextCursor: string | null;
  /** Open cards in total (the badge), whatever the filters. */
  openCount: number;
}

/**
 * Cards oldest activity first (last seen, then id), keyset-paginated on
 * flashcards_state_idx: the cursor is the last card's id, compared by (last_seen_at, id),
 * so a page costs the same at card 10 and card 10,000.
 */
export async function listFlashcards(db: Queryable, query: ListFlashcardsQuery): Promise<FlashcardPage> {
  const where: SQL[] = [];
  if (query.state === "live") where.push(inArray(flashcards.state, ["open", "snoozed"]));
  else if (query.state !== "all") where.push(eq(flashcards.state, query.state));
  if (query.kind) where.push(eq(flashcards.kind, query.kind));
  if (query.job) where.push(eq(flashcards.jobId, query.job));
  if (query.severity) where.push(eq(flashcards.severity, query.severity));
  if (query.fingerprint) where.push(eq(flashcards.fingerprint, query.fingerprint));
  if (query.cursor) {
    const [at] = await db.select({ id: flashcards.id }).from(flashcards).where(eq(flashcards.id, query.cursor));
    if (!at)
      throw new AppError("bad_request", "Unknown cursor", {
        issues: [{ path: ["cursor"], message: "No card with this id" }],
      });
    where.push(
      sql`(${flashcards.lastSeenAt}, ${flashcards.id}) > (select last_seen_at, id from flashcards where id = ${query.cursor})`,
    );
  }
  const rows = await db
    .select()
    .from(flashcards)
    .where(and(...where))
    .orderBy(asc(flashcards.lastSeenAt), asc(flashcards.id))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const cards = more ? rows.slice(0, query.limit) : rows;
  return { cards, nextCursor: more ? (cards.at(-1)?.id ?? null) : null, openCount: await countOpenFlashcards(db) };
}

export async function countOpenFlashcards(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(flashcards).where(eq(flashcards.state, "open"));
  return Number(row?.n ?? 0);
}

export interface FlashcardDetail {
  card: FlashcardRow;
  decisions: (typeof flashcardDecisions.$inferSelect)[];
  run: {
    id: string;
    state: string;
    stateReason: string | null;
    jobId: string;
    jobTitle: string;
    governance: Record<string, unknown>;
    tokensUsed: number;
    budgetTokens: number;
    turnsUsed: number;
    budgetTurns: number;
    budgetWallClockMs: number;
    startedAt: Date | null;
    createdAt: Date;
    actorLabel: string;
    /** Cumulative tokens after each completed turn: the budget curve. */
    curve: { turn: number; tokens: number }[];
    /** The last thing the model said before the card (a drafted reply, a plan). */
    lastModelText: string | null;
  } | null;
}

function textOf(messages: unknown[] | null): string | null {
  if (!messages) return null;
  for (const message of [...messages].reverse()) {
    if (typeof message !== "object" || message === null) continue;
    const content = (message as { content?: unknown }).content;
    if (typeof content === "string" && content.trim()) return content;
    if (Array.isArray(content)) {
      const text = content
        .map((part) =>
          typeof part === "object" && part !== null && (part as { type?: unknown }).type === "text"
            ? String((part as { text?: unknown }).text ?? "")
            : "",
        )
        .join("")
        .trim();
      if (text) return text;
    }
  }
  return null;
}

/** One card with its decisions and the run excerpt the queue shows. Throws not_found. */
export async function getFlashcard(db: Queryable, id: string): Promise<FlashcardDetail> {
  const [card] = await db.select().from(flashcards).where(eq(flashcards.id, id));
  if (!card) throw new AppError("not_found", `Flashcard ${id} not found`);
  const decisions = await db
    .select()
    .from(flashcardDecisions)
    .where(eq(flashcardDecisions.cardId, id))
    .orderBy(asc(flashcardDecisions.createdAt));
  if (!card.runId) return { card, decisions, run: null };
  const [run] = await db
    .select({
      id: runs.id,
      state: runs.state,
      stateReason: runs.stateReason,
      jobId: runs.jobId,
      jobTitle: jobs.title,
      governance: runs.governance,
      tokensUsed: runs.tokensUsed,
      budgetTokens: runs.budgetTokens,
      turnsUsed: runs.turnsUsed,
      budgetTurns: runs.budgetTurns,
      budgetWallClockMs: runs.budgetWallClockMs,
      startedAt: runs.startedAt,
      createdAt: runs.createdAt,
      actorLabel: runs.actorLabel,
    })
    .from(runs)
    .innerJoin(jobs, eq(jobs.id, runs.jobId))
    .where(eq(runs.id, card.runId));
  if (!run) return { card, decisions, run: null };
  const done = await db
    .select({
      index: turns.index,
      tokens: sql<number>`${turns.inputTokens} + ${turns.outputTokens}`,
      messagesOut: turns.messagesOut,
    })
    .from(turns)
    .where(and(eq(turns.runId, run.id), eq(turns.status, "completed")))
    .orderBy(asc(turns.index))
    .limit(500);
  let total = 0;
  const curve = done.map((t) => ({ turn: t.index, tokens: (total += Number(t.tokens)) }));
  let lastModelText: string | null = null;
  for (const t of [...done].reverse()) {
    lastModelText = textOf(t.messagesOut);
    if (lastModelText) break;
  }
  return { card, decisions, run: { ...run, curve, lastModelText } };
}

/** Live cards sharing a fingerprint or a job, for bulk decisions (at most 500). */
export async function liveCardIds(db: Queryable, by: { fingerprint?: string; job?: string }): Promise<string[]> {
  const where: SQL[] = [inArray(flashcards.state, ["open", "snoozed"])];
  if (by.fingerprint) where.push(eq(flashcards.fingerprint, by.fingerprint));
  if (by.job) where.push(eq(flashcards.jobId, by.job));
  const rows = await db
    .select({ id: flashcards.id })
    .from(flashcards)
    .where(and(...where))
    .orderBy(asc(flashcards.lastSeenAt))
    .limit(500);
  return rows.map((r) => r.id);
}

/** The card of an approval (run pages and board cards link to it). */
export async function cardIdForApproval(db: Queryable, approvalId: string): Promise<string | null> {
  const [row] = await db.select({ id: flashcards.id }).from(flashcards).where(eq(flashcards.approvalId, approvalId));
  return row?.id ?? null;
}
