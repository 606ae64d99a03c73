import { z } from "zod";
import { getDb } from "@/db/client";
import { auditFacets, parseAuditQueryOr400, resolveAuditQuery } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

const facetQuery = z.strictObject({ q: z.string().max(2000).optional() });

/** Counts by action, actor and run for the events an explorer query matches. */
export const GET = apiRoute(
  {
    permission: "audit.read",
    doc: {
      summary: "Audit facets",
      description: "Counts by action, actor and run for the events an explorer query matches.",
      tags: ["audit"],
      responses: {
        200: {
          description: "The counts",
          schema: z.looseObject({
            actions: z.array(z.looseObject({ count: z.number() })),
            actors: z.array(z.looseObject({ count: z.number() })),
            runs: z.array(z.looseObject({ count: z.number() })),
            scanned: z.number(),
            capped: z.boolean(),
            textWindow: z.number().nullable(),
          }),
        },
      },
    },
    query: facetQuery,
  },
  async ({ query }) => {
    const db = await getDb();
    return auditFacets(db, await resolveAuditQuery(db, parseAuditQueryOr400(query.q)));
  },
);
