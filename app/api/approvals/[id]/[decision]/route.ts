import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { decideApproval, decisionBody, decisionFromVerb } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** POST /api/approvals/:id/{approve,reject} { note? } → { approval, run }; 409 when already decided. */
export const POST = apiRoute(
  { permission: "runs.approve", body: decisionBody },
  async ({ params, body, principal }) => {
    const decision = decisionFromVerb(String(params.decision));
    if (!decision) throw new AppError("not_found", `Unknown decision ${String(params.decision)}`);
    return decideApproval(await getDb(), String(params.id), decision, principal, body.note);
  },
);
