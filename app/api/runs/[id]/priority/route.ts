import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { runPriorityInput, setRunPriority } from "@/lib/scheduling";

export const dynamic = "force-dynamic";

/**
 * POST { priority } (-1000..1000, higher first; audited as run.priority_changed): the run's
 * priority class from its next claim. 409 when the run has finished; 400 naming "priority".
 */
export const POST = apiRoute(
  { permission: "runs.control", body: runPriorityInput },
  async ({ params, body, principal }) =>
    Response.json(await setRunPriority(await getDb(), principal, String(params.id), body.priority)),
);
