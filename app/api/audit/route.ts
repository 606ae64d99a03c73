import { z } from "zod";
import { getDb } from "@/db/client";
import { auditListQuerySchema, listAuditQuery, parseAuditQueryOr400, resolveAuditQuery } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * The audit explorer's feed: newest first, paged by `nextCursor`. `q` takes the query
 * language (actor:, action:run.*, run:<short id>, job:, token:, outcome:, since:, until:,
 * free text); the older single-field parameters still work and combine with it.
 */
export const GET = apiRoute(
  {
    permission: "audit.read",
    doc: {
      summary: "Search the audit log",
      description:
        "Newest first, paged by `nextCursor`. `q` takes the query language (actor:, action:run.*, run:<short id>, job:, token:, outcome:, since:, until:, free text).",
      tags: ["audit"],
      responses: {
        200: {
          description: "A page of events",
          schema: z.object({
            events: z.array(z.looseObject({ id: z.number(), action: z.string() })),
            nextCursor: z.number().nullable(),
          }),
        },
      },
    },
    query: auditListQuerySchema,
  },
  async ({ query }) => {
    const db = await getDb();
    const { q, ...filter } = query;
    const resolved = q ? await resolveAuditQuery(db, parseAuditQueryOr400(q)) : null;
    return listAuditQuery(db, resolved, filter);
  },
);
