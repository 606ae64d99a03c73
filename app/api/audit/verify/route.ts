import { getDb } from "@/db/client";
import { verifyAuditChain } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** Recomputes the whole hash chain; answers where it first breaks, if it does. */
export const GET = apiRoute({ permission: "audit.verify" }, async () => {
  const { ok, checked, firstBadSeq } = await verifyAuditChain(await getDb());
  return { ok, checked, firstBadSeq };
});
