import { getDatabase } from "@/db/client";
import { verifyAuditChainGuarded } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Recomputes every leaf and the root, checks signatures, MACs and anchors; names where the
 * log first breaks. Off the event loop on Postgres and single-flight everywhere
 * (lib/audit/verify-guard.ts).
 */
export const GET = apiRoute({ permission: "audit.verify" }, async () => verifyAuditChainGuarded(await getDatabase()));
