import { z } from "zod";
import { getDb } from "@/db/client";
import { getFlashcard } from "@/lib/flashcards";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** GET /api/flashcards/:id → { card, decisions, run } (run: state, governance, budget curve, last model text). */
export const GET = apiRoute(
  {
    permission: "flashcards.read",
    doc: {
      summary: "One flashcard",
      description: "The card, its decisions and its run (state, governance, budget curve, last model text).",
      tags: ["flashcards"],
      responses: {
        200: {
          description: "The card",
          schema: z.object({
            card: z.looseObject({ id: z.string(), kind: z.string(), state: z.string() }),
            decisions: z.array(z.looseObject({ id: z.string() })),
            run: z.looseObject({ id: z.string(), state: z.string(), jobId: z.string() }).nullable(),
          }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => getFlashcard(await getDb(), String(params.id)),
);
