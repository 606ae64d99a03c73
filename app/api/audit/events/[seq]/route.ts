import { z } from "zod";
import { getDb } from "@/db/client";
import { auditEventBySeq } from "@/lib/audit";
import { parseSeqParam } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** One sealed event with its leaf string (`canonical`) and `leafHash`; 404 when no event has that seq yet. */
export const GET = apiRoute(
  {
    permission: "audit.read",
    doc: {
      summary: "One sealed audit event",
      description: "With its leaf string (`canonical`) and `leafHash`; 404 when no event has that seq yet.",
      tags: ["audit"],
      params: {
        seq: { description: "The event's sequence number (1-based)", schema: z.string().regex(/^[1-9][0-9]*$/) },
      },
      responses: {
        200: {
          description: "The event",
          schema: z.looseObject({
            seq: z.number().nullable(),
            action: z.string(),
            canonical: z.string(),
            leafHash: z.string(),
          }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => {
    const seq = parseSeqParam(params.seq);
    const event = await auditEventBySeq(await getDb(), seq);
    if (!event) throw new AppError("not_found", `No sealed event has seq ${seq} (not sealed yet, or beyond the log)`);
    return event;
  },
);
