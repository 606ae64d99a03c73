import "server-only";
import { notifyLive } from "@/lib/live/channel";
import { and, asc, eq, inArray, isNotNull, lte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flashcards, runs } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { systemPrincipal, type Authorization } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { decideApprovalInTx } from "@/lib/runtime/approvals";
import { insertDecision } from "./approval-cards";
import { detectStuckWait } from "./detectors/stuck";
import { raiseFlashcard } from "./raise";

const EXPIRY_ACTOR = { kind: "system" as const, id: "flashcards-expiry", label: "approval expiry (runtime)" };

function expiryAuthorization(onExpiry: string | null): Authorization {
  return { via: "system", reason: `job declaration approval.expiresAfter, onExpiry ${onExpiry ?? "reject"}` };
}

/** Snoozed cards whose time has come are open again (flashcards_snoozed_idx). Returns how many. */
export async function returnSnoozedCards(db: Db, limit = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: flashcards.id,
        kind: flashcards.kind,
        runId: flashcards.runId,
        snoozedUntil: flashcards.snoozedUntil,
      })
      .from(flashcards)
      .where(and(eq(flashcards.state, "snoozed"), lte(flashcards.snoozedUntil, sql`now()`)))
      .orderBy(asc(flashcards.snoozedUntil))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return 0;
    await tx
      .update(flashcards)
      .set({ state: "open", snoozedUntil: null, updatedAt: sql`now()` })
      .where(
        inArray(
          flashcards.id,
          due.map((c) => c.id),
        ),
      );
    await notifyLive(tx, "flashcard");
    for (const card of due) {
      await appendAudit(tx, {
        actor: { kind: "system", id: "flashcards", label: "flashcard snooze" },
        authorization: { via: "system", reason: "snooze time reached" },
        action: "flashcard.returned",
        subject: { type: "flashcard", id: card.id },
        payload: { kind: card.kind, runId: card.runId, snoozedUntil: card.snoozedUntil?.toISOString() ?? null },
      });
    }
    return due.length;
  });
}

/**
 * Approval cards past their job's approval.expiresAfter: the declared default (reject
 * unless the job says approve) is applied through the approval, as the runtime, and
 * audited (approval.expired, flashcard state expired). Returns how many.
 */
export async function expireDueCards(db: Db, limit = 50): Promise<number> {
  const due = await db
    .select({
      id: flashcards.id,
      approvalId: flashcards.approvalId,
      onExpiry: flashcards.onExpiry,
      expiresAt: flashcards.expiresAt,
    })
    .from(flashcards)
    .where(
      and(
        inArray(flashcards.state, ["open", "snoozed"]),
        isNotNull(flashcards.expiresAt),
        lte(flashcards.expiresAt, sql`now()`),
      ),
    )
    .orderBy(asc(flashcards.expiresAt))
    .limit(limit);
  let applied = 0;
  for (const card of due) {
    if (!card.approvalId) continue;
    const decision = card.onExpiry === "approve" ? "approved" : "rejected";
    const approvalId = card.approvalId;
    try {
      await db.transaction(async (tx) => {
        await decideApprovalInTx(tx, approvalId, decision, systemPrincipal("flashcards-expiry"), {
          note: `No decision before ${card.expiresAt?.toISOString() ?? "the deadline"}; the job's default on expiry is ${decision === "approved" ? "approve" : "reject"}.`,
          as: {
            actor: EXPIRY_ACTOR,
            authorization: expiryAuthorization(card.onExpiry),
            action: "approval.expired",
          },
        });
        await insertDecision(tx, card.id, "expire", {
          actor: EXPIRY_ACTOR,
          authorization: expiryAuthorization(card.onExpiry),
          reason: `expired at ${card.expiresAt?.toISOString() ?? "?"}: default action ${decision === "approved" ? "approve" : "reject"}`,
        });
      });
      applied += 1;
    } catch (error) {
      // Decided by a person in the meantime (409): nothing to apply.
      if (!(isAppError(error) && error.code === "conflict")) throw error;
    }
  }
  return applied;
}

/** Runs waiting (not for an approval) longer than FLIGHTDECK_STUCK_AFTER_MS (runs_state_idx over waiting runs only). */
export async function flagStuckWaits(db: Db, limit = 50): Promise<number> {
  const threshold = getEnv().FLIGHTDECK_STUCK_AFTER_MS;
  const waiting = await db
    .select({
      id: runs.id,
      jobId: runs.jobId,
      stateReason: runs.stateReason,
      waitingFor: runs.waitingFor,
      waitedMs: sql<number>`(extract(epoch from (now() - ${runs.updatedAt})) * 1000)::float8`,
    })
    .from(runs)
    .where(
      and(
        eq(runs.state, "waiting"),
        ne(runs.stateReason, "approval"),
        sql`${runs.updatedAt} < now() - (${threshold}::int * interval '1 millisecond')`,
        sql`not exists (select 1 from flashcards f where f.fingerprint = 'stuck:' || ${runs.id} || ':waiting' and f.state in ('open', 'snoozed'))`,
      ),
    )
    .limit(limit);
  let raised = 0;
  for (const run of waiting) {
    const card = detectStuckWait({ ...run, waitedMs: Number(run.waitedMs) }, threshold);
    if (!card) continue;
    await db.transaction((tx) => raiseFlashcard(tx, card, { onRepeat: "ignore" }));
    raised += 1;
  }
  return raised;
}
