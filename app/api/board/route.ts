import { z } from "zod";
import { getDb } from "@/db/client";
import { boardUpdate } from "@/lib/board";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** A run on the board (lib/board BoardRun), the fields a client keys on. */
const boardRun = z.looseObject({
  id: z.string(),
  jobId: z.string(),
  state: z.string(),
  priority: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const query = z.strictObject({
  /** The cursor of the previous answer; without it the answer is a full snapshot. */
  since: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The kanban's feed: GET /api/board → snapshot (runs on the board + job titles and a
 * cursor); GET /api/board?since=<cursor> → only the runs changed since (the browser polls
 * this every second). Read-only.
 */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "The run board",
      description:
        "Without `since`: a snapshot (runs on the board, job titles, a cursor); with it: only the runs changed since.",
      tags: ["runs"],
      responses: {
        200: {
          description: "A snapshot or a delta",
          schema: z.discriminatedUnion("kind", [
            z.object({
              kind: z.literal("snapshot"),
              cursor: z.string(),
              runs: z.array(boardRun),
              jobs: z.array(z.looseObject({ id: z.string(), title: z.string() })),
              truncated: z.boolean(),
            }),
            z.object({ kind: z.literal("delta"), cursor: z.string(), runs: z.array(boardRun) }),
          ]),
        },
      },
    },
    query,
  },
  async ({ query }) => {
    const body = await boardUpdate(await getDb(), query.since);
    return Response.json(body, { headers: { "cache-control": "no-store" } });
  },
);
