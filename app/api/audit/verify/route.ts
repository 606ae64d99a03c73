import { getDatabase } from "@/db/client";
import { verifyAuditChainGuarded } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Recomputes the whole hash chain; answers where it first breaks, if it does. Off the
 * event loop on Postgres and single-flight everywhere (lib/audit/verify-guard.ts).
 */
export const GET = apiRoute({ permission: "audit.verify" }, async () => {
  const { ok, checked, firstBadSeq } = await verifyAuditChainGuarded(await getDatabase());
  return { ok, checked, firstBadSeq };
});
