import { z } from "zod";
import { getDb } from "@/db/client";
import { decideFlashcard, flashcardDecisionBody } from "@/lib/flashcards";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

const flashcard = z.looseObject({ id: z.string(), kind: z.string(), state: z.string() });

/**
 * POST /api/flashcards/:id/decision { decision: approve|reject|snooze|dismiss, reason?, until?, editedInput? }
 * → { card, approvals: { given, required }, run }; 409 with the card's state when already decided.
 */
export const POST = apiRoute(
  {
    permission: "flashcards.decide",
    doc: {
      summary: "Decide a flashcard",
      description: "approve, reject, snooze or dismiss; 409 with the card's state when already decided.",
      tags: ["flashcards"],
      responses: {
        200: {
          description: "The card, the approvals so far and its run",
          schema: z.object({
            card: flashcard,
            approvals: z.object({ given: z.number(), required: z.number() }),
            run: z.looseObject({ id: z.string(), state: z.string() }).nullable(),
          }),
        },
      },
      errors: [404, 409],
    },
    body: flashcardDecisionBody,
  },
  async ({ params, body, principal }) => decideFlashcard(await getDb(), String(params.id), body, principal),
);
