import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http/route";
import { schedulingOverview } from "@/lib/scheduling/queries";

export const dynamic = "force-dynamic";

/**
 * Fair-share keys: { keys: [{ key, weight, weightSource, entitled, vtime, queued, running,
 * waiting, waitP50Ms, waitP95Ms, share5m, share15m, share60m }] } (docs/SCHEDULING.md).
 */
export const GET = apiRoute({ permission: "scheduling.read" }, async () =>
  Response.json(await schedulingOverview(await getDb()), { headers: { "cache-control": "no-store" } }),
);
