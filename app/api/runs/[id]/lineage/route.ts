import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { runLineage } from "@/lib/lineage";

export const dynamic = "force-dynamic";

/**
 * Who authorized this run and what it touched: the declaration's governance and registry
 * version, what started it, approvals, operator controls and every tool call with its
 * authorization and what it touched, each linked to its audit events. 404 for an unknown id.
 */
export const GET = apiRoute({ permission: "audit.read.run" }, async ({ params }) =>
  runLineage(await getDb(), String(params.id)),
);
