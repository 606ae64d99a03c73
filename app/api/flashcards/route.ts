import { z } from "zod";
import { getDb } from "@/db/client";
import { listFlashcards, listFlashcardsQuery } from "@/lib/flashcards";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** GET /api/flashcards?state&kind&job&severity&cursor&limit → { cards, nextCursor, openCount }. */
export const GET = apiRoute(
  {
    permission: "flashcards.read",
    doc: {
      summary: "List flashcards",
      description:
        "Oldest activity first, keyset-paginated by `nextCursor`; `openCount` is every open card whatever the filters.",
      tags: ["flashcards"],
      responses: {
        200: {
          description: "A page of cards",
          schema: z.object({
            cards: z.array(z.looseObject({ id: z.string(), kind: z.string(), state: z.string() })),
            nextCursor: z.string().nullable(),
            openCount: z.number(),
          }),
        },
      },
    },
    query: listFlashcardsQuery,
  },
  async ({ query }) => listFlashcards(await getDb(), query),
);
