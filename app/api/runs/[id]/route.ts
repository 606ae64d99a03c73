import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { getRunDetail } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** One run with its turns and pending approvals; 404 for an unknown id. */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "One run",
      description: "The run with its turns and pending approvals.",
      tags: ["runs"],
      responses: {
        200: {
          description: "The run",
          schema: z.object({
            run: z.looseObject({ id: z.string(), jobId: z.string(), state: z.string() }),
            turns: z.array(z.looseObject({ id: z.string() })),
            pendingApprovals: z.array(z.looseObject({ id: z.string(), status: z.string() })),
          }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => getRunDetail(await getDb(), String(params.id)),
);
