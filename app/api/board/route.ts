import { z } from "zod";
import { getDb } from "@/db/client";
import { boardUpdate } from "@/lib/board";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

const query = z.strictObject({
  /** The cursor of the previous answer; without it the answer is a full snapshot. */
  since: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The kanban's feed: GET /api/board → snapshot (runs on the board + job titles and a
 * cursor); GET /api/board?since=<cursor> → only the runs changed since (the browser polls
 * this every second). Read-only.
 */
export const GET = apiRoute({ permission: "runs.read", query }, async ({ query }) => {
  const body = await boardUpdate(await getDb(), query.since);
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});
