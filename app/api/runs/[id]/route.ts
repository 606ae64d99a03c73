import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { getRunDetail } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** One run with its turns and pending approvals; 404 for an unknown id. */
export const GET = apiRoute({ permission: "runs.read" }, async ({ params }) =>
  getRunDetail(await getDb(), String(params.id)),
);
