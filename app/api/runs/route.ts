import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { createManualRun, manualRunInput } from "@/lib/runtime";
import { listRuns, listRunsQuery } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Runs, newest first. ?state=a,b&job=id&cursor=…&limit=≤200 → { runs, nextCursor }. */
export const GET = apiRoute({ permission: "runs.read", query: listRunsQuery }, async ({ query }) =>
  listRuns(await getDb(), query),
);

/** Starts a manual run: 201 { id, state } (state "waiting" when the job needs approval first). */
export const POST = apiRoute({ permission: "runs.create", body: manualRunInput }, async ({ body, principal }) => {
  const run = await createManualRun(await getDb(), principal, body);
  return Response.json(run, { status: 201 });
});
