import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { listApprovals, listApprovalsQuery } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Approvals by status (default pending, oldest first) → { approvals }. */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "List approvals",
      description: "By status (default pending), oldest first.",
      tags: ["approvals"],
      responses: {
        200: {
          description: "The approvals with their run's job and state",
          schema: z.object({
            approvals: z.array(
              z.looseObject({
                id: z.string(),
                runId: z.string(),
                status: z.string(),
                jobId: z.string(),
                runState: z.string(),
              }),
            ),
          }),
        },
      },
    },
    query: listApprovalsQuery,
  },
  async ({ query }) => ({
    approvals: await listApprovals(await getDb(), query),
  }),
);
