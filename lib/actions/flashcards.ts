"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { decideFlashcard, flashcardDecisionBody, liveCardIds } from "@/lib/flashcards";
import { isAppError } from "@/lib/errors";
import { defineAction } from "./define-action";

export const decideCard = defineAction({
  name: "flashcards.decide",
  permission: "flashcards.decide",
  input: z.strictObject({ cardId: z.string().min(1).max(100), body: flashcardDecisionBody }),
  handler: async ({ cardId, body }, principal) => decideFlashcard(await getDb(), cardId, body, principal),
});

/**
 * One decision for many cards: the listed ids, or every live card sharing a fingerprint or
 * a job. Each card is decided on its own (its own transaction, audit event and 409), so one
 * card decided meanwhile by someone else does not undo the others.
 */
export const decideCards = defineAction({
  name: "flashcards.decide_bulk",
  permission: "flashcards.decide",
  input: z
    .strictObject({
      cardIds: z.array(z.string().min(1).max(100)).max(500).optional(),
      fingerprint: z.string().min(1).max(500).optional(),
      job: z.string().min(1).max(64).optional(),
      body: flashcardDecisionBody,
    })
    .refine((v) => (v.cardIds?.length ?? 0) > 0 || v.fingerprint || v.job, {
      message: "Name the cards: cardIds, fingerprint or job",
      path: ["cardIds"],
    }),
  handler: async ({ cardIds, fingerprint, job, body }, principal) => {
    const db = await getDb();
    const ids = cardIds?.length ? cardIds : await liveCardIds(db, { fingerprint, job });
    const results: { cardId: string; ok: boolean; state?: string; error?: string }[] = [];
    for (const cardId of ids) {
      try {
        const decided = await decideFlashcard(db, cardId, body, principal);
        results.push({ cardId, ok: true, state: decided.card.state });
      } catch (error) {
        if (!isAppError(error)) throw error;
        results.push({ cardId, ok: false, error: error.message });
      }
    }
    return { results };
  },
});
