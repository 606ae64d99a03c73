import { getDb } from "@/db/client";
import { verifyAuditLog } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Recomputes every leaf and the root, checks signatures, MACs and anchors; names where the log first breaks. */
export const GET = apiRoute({ permission: "audit.verify" }, async () => verifyAuditLog(await getDb()));
