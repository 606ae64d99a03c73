import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { describeWaitPosition, runWaitPositions } from "@/lib/scheduling";
import { waitPositionsQuery } from "./schema";

export const dynamic = "force-dynamic";

/**
 * Where runs held back by a full resource stand in its queue: GET /api/scheduling/positions?runs=a,b
 * → { positions: { [runId]: { resource, key, position, overShare, text } } }. The board asks it for
 * the waiting cards it shows; a run that holds a lease or is not runnable is left out.
 */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "Queue positions of waiting runs",
      description:
        "For each given run that is runnable but holds no lease (it waits for a model endpoint's slot): the endpoint, its fair-share key, its 1-based position in the endpoint's queue under the claim policy, whether its key is over its share, and the sentence the board shows (\"3rd for default; key acme is over its share\"). Runs not waiting are left out. Up to 200 ids, comma-separated.",
      tags: ["scheduling"],
      responses: {
        200: {
          description: "Positions by run id",
          schema: z.object({
            positions: z.record(
              z.string(),
              z.object({
                resource: z.string(),
                key: z.string(),
                position: z.number().int(),
                overShare: z.boolean(),
                text: z.string(),
              }),
            ),
          }),
        },
      },
    },
    query: waitPositionsQuery,
  },
  async ({ query: { runs } }) => {
    const found = await runWaitPositions(await getDb(), runs);
    const positions = Object.fromEntries(
      [...found].map(([id, p]) => [id, { ...p, text: describeWaitPosition(p) }] as const),
    );
    return Response.json({ positions }, { headers: { "cache-control": "no-store" } });
  },
);
