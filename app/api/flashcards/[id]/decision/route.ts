import { getDb } from "@/db/client";
import { decideFlashcard, flashcardDecisionBody } from "@/lib/flashcards";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * POST /api/flashcards/:id/decision { decision: approve|reject|snooze|dismiss, reason?, until?, editedInput? }
 * → { card, approvals: { given, required }, run }; 409 with the card's state when already decided.
 */
export const POST = apiRoute(
  { permission: "flashcards.decide", body: flashcardDecisionBody },
  async ({ params, body, principal }) => decideFlashcard(await getDb(), String(params.id), body, principal),
);
