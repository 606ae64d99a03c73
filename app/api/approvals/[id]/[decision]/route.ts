import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { decideApproval, decisionBody, decisionFromVerb } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** POST /api/approvals/:id/{approve,reject} { note? } → { approval, run }; 409 when already decided. */
export const POST = apiRoute(
  {
    permission: "runs.approve",
    doc: {
      summary: "Approve or reject a pending approval",
      description: "The path's decision is `approve` or `reject`. 409 when already decided.",
      tags: ["approvals"],
      params: { decision: { description: "approve or reject", schema: z.enum(["approve", "reject"]) } },
      responses: {
        200: {
          description: "The decided approval and its run",
          schema: z.object({
            approval: z.looseObject({ id: z.string(), runId: z.string(), status: z.string() }),
            run: z.looseObject({ id: z.string(), state: z.string() }),
            approvals: z.object({ given: z.number(), required: z.number() }).optional(),
          }),
        },
      },
      errors: [404, 409],
    },
    body: decisionBody,
  },
  async ({ params, body, principal }) => {
    const decision = decisionFromVerb(String(params.decision));
    if (!decision) throw new AppError("not_found", `Unknown decision ${String(params.decision)}`);
    return decideApproval(await getDb(), String(params.id), decision, principal, body.note);
  },
);
