import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { runLineage } from "@/lib/lineage";

export const dynamic = "force-dynamic";

/**
 * Who authorized this run and what it touched: the declaration's governance and registry
 * version, what started it, approvals, operator controls and every tool call with its
 * authorization and what it touched, each linked to its audit events. 404 for an unknown id.
 */
export const GET = apiRoute(
  {
    permission: "audit.read.run",
    doc: {
      summary: "A run's lineage",
      description:
        "Who authorized this run and what it touched: governance and registry version, what started it, approvals, operator controls and every tool call, each linked to its audit events.",
      tags: ["runs", "audit"],
      responses: {
        200: {
          description: "The lineage",
          schema: z.looseObject({
            run: z.looseObject({ id: z.string(), jobId: z.string(), state: z.string() }),
            declaration: z.looseObject({}),
            started: z.looseObject({ trigger: z.string() }),
          }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => runLineage(await getDb(), String(params.id)),
);
