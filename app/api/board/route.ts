import { z } from "zod";
import { getDb } from "@/db/client";
import { boardFilterQuery, boardUpdate } from "@/lib/board";
import { boardColumnIds } from "@/lib/board-columns";
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

const columnWindow = z.object({
  total: z.number().describe("Runs in the column under the filters"),
  next: z.string().nullable().describe("Pass to GET /api/board/columns/{column}?after= for the next page"),
});

const query = boardFilterQuery.extend({
  /** The cursor of the previous answer; without it the answer is a full snapshot. */
  since: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The kanban's feed: GET /api/board → snapshot (the first window of every column, column
 * totals, job titles and a cursor); GET /api/board?since=<cursor> → only the runs changed
 * since, with fresh totals when any did (the browser polls this every second). Read-only.
 */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "The run board",
      description:
        "Without `since`: a snapshot — the first page of every column (queued, running, waiting, paused, attention, done) under the filters, each column's total and next-page cursor, job titles and a cursor. With `since`: only the runs changed since (unfiltered; a client filters them itself), plus fresh column totals under the filters when anything changed. Filters: job, owner, risk, state, as on the board's URL; `range` (1h, 24h, 7d, 30d, all; default 24h) is how far back Done reaches (Needs attention keeps 7 days).",
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
              columns: z.object(Object.fromEntries(boardColumnIds.map((id) => [id, columnWindow]))),
              onBoard: z.number().describe("Runs on the board without the filters"),
              truncated: z.boolean().describe("Some column has more runs than this answer holds"),
            }),
            z.object({
              kind: z.literal("delta"),
              cursor: z.string(),
              runs: z.array(boardRun),
              totals: z.record(z.enum(boardColumnIds), z.number()).optional(),
              onBoard: z.number().optional(),
            }),
          ]),
        },
      },
    },
    query,
  },
  async ({ query: { since, range, ...filters } }) => {
    const body = await boardUpdate(await getDb(), since, filters, range);
    return Response.json(body, { headers: { "cache-control": "no-store" } });
  },
);
