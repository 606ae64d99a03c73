import { z } from "zod";
import { getDb } from "@/db/client";
import { boardColumnPage, boardFilterQuery } from "@/lib/board";
import { boardColumnIds } from "@/lib/board-columns";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

const query = boardFilterQuery.extend({
  after: z.string().min(1).max(400).describe("A column's `next` from GET /api/board or from the previous page"),
});

/** The next page of one board column, in the column's reading order, under the same filters. */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "The next page of a board column",
      description:
        "Columns: queued, running, waiting, paused, attention, done. Answers the runs after the `after` cursor (a column's `next` from GET /api/board or a previous page) and the cursor after them (null at the end).",
      tags: ["runs"],
      responses: {
        200: {
          description: "A page of runs",
          schema: z.object({
            kind: z.literal("page"),
            column: z.enum(boardColumnIds),
            runs: z.array(z.looseObject({ id: z.string(), state: z.string() })),
            next: z.string().nullable(),
          }),
        },
      },
      errors: [400],
    },
    query,
  },
  async ({ params, query: { after, range, ...filters } }) => {
    const column = z.enum(boardColumnIds).safeParse(params.column);
    if (!column.success)
      throw new AppError("bad_request", `Unknown board column "${String(params.column)}"`, {
        issues: column.error.issues,
      });
    const page = await boardColumnPage(await getDb(), column.data, after, filters, range);
    if (!page) throw new AppError("bad_request", "`after` is not a board column cursor");
    return Response.json(page, { headers: { "cache-control": "no-store" } });
  },
);
