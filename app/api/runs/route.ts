import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { createManualRun, manualRunInput } from "@/lib/runtime";
import { listRuns, listRunsQuery } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Runs, newest first. ?state=a,b&job=id&cursor=…&limit=≤200 → { runs, nextCursor }. */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "List runs",
      description: "Newest first, paged by `nextCursor`.",
      tags: ["runs"],
      responses: {
        200: {
          description: "A page of runs",
          schema: z.object({
            runs: z.array(
              z.looseObject({ id: z.string(), jobId: z.string(), state: z.string(), createdAt: z.string() }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    query: listRunsQuery,
  },
  async ({ query }) => listRuns(await getDb(), query),
);

/** Starts a manual run: 201 { id, state } (state "waiting" when the job needs approval first). */
export const POST = apiRoute(
  {
    permission: "runs.create",
    doc: {
      summary: "Start a manual run",
      description: "State `waiting` when the job needs approval first.",
      tags: ["runs"],
      responses: { 201: { description: "The new run", schema: z.object({ id: z.string(), state: z.string() }) } },
      errors: [404, 409],
    },
    body: manualRunInput,
  },
  async ({ body, principal }) => {
    const run = await createManualRun(await getDb(), principal, body);
    return Response.json(run, { status: 201 });
  },
);
