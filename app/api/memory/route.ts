import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { collectionsOverview } from "@/lib/memory";

export const dynamic = "force-dynamic";

/** GET /api/memory: the declared shared-memory collections with their entity counts. */
export const GET = apiRoute(
  {
    permission: "memory.read",
    doc: {
      summary: "Shared-memory collections",
      description: "The declared collections with their entity counts.",
      tags: ["memory"],
      responses: {
        200: {
          description: "The collections",
          schema: z.object({ collections: z.array(z.looseObject({ name: z.string() })) }),
        },
      },
    },
  },
  async () =>
    Response.json(
      { collections: await collectionsOverview(await getDb()) },
      { headers: { "cache-control": "no-store" } },
    ),
);
