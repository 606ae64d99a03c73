import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { collectionsOverview } from "@/lib/memory";

export const dynamic = "force-dynamic";

/** GET /api/memory: the declared shared-memory collections with their entity counts. */
export const GET = apiRoute({ permission: "memory.read" }, async () =>
  Response.json(
    { collections: await collectionsOverview(await getDb()) },
    { headers: { "cache-control": "no-store" } },
  ),
);
