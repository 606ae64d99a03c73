import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { schedulingOverview, serviceSeries } from "@/lib/scheduling";

export const dynamic = "force-dynamic";

/**
 * Fair-share keys: { keys: [{ key, weight, weightSource, entitled, vtime, queued, running,
 * waiting, waitP50Ms, waitP95Ms, share5m, share15m, share60m }], series: [{ at, cost: { key: n } }] }
 * — series is the turn cost served per key per minute over the last 15 minutes (docs/SCHEDULING.md).
 */
export const GET = apiRoute(
  {
    permission: "scheduling.read",
    doc: {
      summary: "Fair-share keys and service series",
      description:
        "Each key's weight, entitlement, queue and shares; `series` is the turn cost served per key per minute over the last 15 minutes.",
      tags: ["scheduling"],
      responses: {
        200: {
          description: "The keys and the series",
          schema: z.object({
            keys: z.array(z.looseObject({ key: z.string(), weight: z.number() })),
            series: z.array(z.looseObject({ at: z.string(), cost: z.record(z.string(), z.number()) })),
          }),
        },
      },
    },
  },
  async () => {
    const db = await getDb();
    const [overview, series] = await Promise.all([schedulingOverview(db), serviceSeries(db, 15)]);
    return Response.json({ ...overview, series }, { headers: { "cache-control": "no-store" } });
  },
);
