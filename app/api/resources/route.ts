import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { endpointUsage } from "@/lib/board";

export const dynamic = "force-dynamic";

/** Model endpoints with capacity, slots in use and waiting runs (the resources page polls this). */
export const GET = apiRoute({ permission: "resources.read" }, async () =>
  Response.json({ endpoints: await endpointUsage(await getDb()) }, { headers: { "cache-control": "no-store" } }),
);
