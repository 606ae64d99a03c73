import { getDb } from "@/db/client";
import { listFlashcards, listFlashcardsQuery } from "@/lib/flashcards";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** GET /api/flashcards?state&kind&job&severity&cursor&limit → { cards, nextCursor, openCount }. */
export const GET = apiRoute({ permission: "flashcards.read", query: listFlashcardsQuery }, async ({ query }) =>
  listFlashcards(await getDb(), query),
);
