import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { runPriorityInput, setRunPriority } from "@/lib/scheduling";

export const dynamic = "force-dynamic";

/**
 * POST { priority } (-1000..1000, higher first; audited as run.priority_changed): the run's
 * priority class from its next claim. 409 when the run has finished; 400 naming "priority".
 */
export const POST = apiRoute(
  {
    permission: "runs.control",
    doc: {
      summary: "Set a run's priority",
      description: "-1000..1000, higher first, from its next claim; audited. 409 when the run has finished.",
      tags: ["runs", "scheduling"],
      responses: {
        200: {
          description: "The new and the previous priority",
          schema: z.object({ id: z.string(), priority: z.number(), previous: z.number() }),
        },
      },
      errors: [404, 409],
    },
    body: runPriorityInput,
  },
  async ({ params, body, principal }) =>
    Response.json(await setRunPriority(await getDb(), principal, String(params.id), body.priority)),
);
