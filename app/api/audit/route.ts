import { getDb } from "@/db/client";
import { auditListQuerySchema, listAuditEvents } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The audit explorer's feed: newest first, filtered, paged by `nextCursor`. */
export const GET = apiRoute({ permission: "audit.read", query: auditListQuerySchema }, async ({ query }) =>
  listAuditEvents(await getDb(), query),
);
