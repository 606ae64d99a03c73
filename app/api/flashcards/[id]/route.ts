import { getDb } from "@/db/client";
import { getFlashcard } from "@/lib/flashcards";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** GET /api/flashcards/:id → { card, decisions, run } (run: state, governance, budget curve, last model text). */
export const GET = apiRoute({ permission: "flashcards.read" }, async ({ params }) =>
  getFlashcard(await getDb(), String(params.id)),
);
