import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { runListQuery, runsCsvResponse } from "@/lib/board";

export const dynamic = "force-dynamic";

/** The runs list view's rows as CSV: the same filters as /runs/list (page and pageSize are ignored). */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "Export runs as CSV",
      description:
        "The runs the list view's filters match (`q`, `job`, `owner`, `risk`, `state`, `range`), ordered by creation time (`dir`, newest first by default) whatever the list's `sort`, at most 100,000.",
      tags: ["runs"],
      responses: { 200: { description: "RFC 4180 CSV with a header row", contentType: "text/csv" } },
    },
    query: runListQuery,
  },
  async ({ query }) => runsCsvResponse(await getDb(), query),
);
