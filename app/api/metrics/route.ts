import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { metricsCollector } from "@/lib/metrics";

export const dynamic = "force-dynamic";

/**
 * GET /api/metrics: the deployment's metrics in the Prometheus text exposition format,
 * computed from the database at scrape time (lib/metrics, docs/INTEGRATIONS.md). Admins,
 * and API tokens scoped to "metrics", may read it.
 */
export const GET = apiRoute(
  {
    permission: "metrics.read",
    doc: {
      summary: "Prometheus metrics",
      description:
        "The deployment's metrics in the Prometheus text exposition format; admins and tokens scoped to `metrics`.",
      tags: ["system"],
      responses: { 200: { description: "The exposition", contentType: "text/plain" } },
    },
  },
  async () => {
    const collector = metricsCollector();
    const body = await collector.scrape(await getDb());
    return new Response(body, { headers: { "content-type": collector.contentType, "cache-control": "no-store" } });
  },
);
