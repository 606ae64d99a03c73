import { z } from "zod";
import { getDb } from "@/db/client";
import { consistencyQuerySchema } from "@/lib/audit";
import { consistencyProof } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** RFC 9162 consistency proof from tree size `from` to `to` (default: latest checkpoint). */
export const GET = apiRoute(
  {
    permission: "audit.read",
    doc: {
      summary: "Audit consistency proof",
      description: "RFC 9162 consistency proof from tree size `from` to `to` (default: latest checkpoint).",
      tags: ["audit"],
      responses: {
        200: {
          description: "The proof",
          schema: z.looseObject({ from: z.number(), to: z.number(), hashes: z.array(z.string()) }),
        },
      },
    },
    query: consistencyQuerySchema,
  },
  async ({ query }) => consistencyProof(await getDb(), query.from, query.to),
);
