import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { listLocks } from "@/lib/memory";

export const dynamic = "force-dynamic";

const query = z.strictObject({
  runId: z.string().min(1).max(100).optional(),
  entity: z.string().min(1).max(300).optional(),
});

/** GET /api/locks[?runId=&entity=]: agent-level locks — holders and waiters, queue order, how long. */
export const GET = apiRoute(
  {
    permission: "resources.read",
    doc: {
      summary: "Agent-level locks",
      description: "Holders and waiters, queue order, how long.",
      tags: ["memory"],
      responses: {
        200: { description: "The locks", schema: z.object({ locks: z.array(z.looseObject({ entity: z.string() })) }) },
      },
    },
    query,
  },
  async ({ query }) =>
    Response.json({ locks: await listLocks(await getDb(), query) }, { headers: { "cache-control": "no-store" } }),
);
