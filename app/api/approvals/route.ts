import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { listApprovals, listApprovalsQuery } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Approvals by status (default pending, oldest first) → { approvals }. */
export const GET = apiRoute({ permission: "runs.read", query: listApprovalsQuery }, async ({ query }) => ({
  approvals: await listApprovals(await getDb(), query),
}));
