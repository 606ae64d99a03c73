import { z } from "zod";
import { getDb } from "@/db/client";
import { inclusionQuerySchema } from "@/lib/audit";
import { inclusionProof } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** RFC 9162 inclusion proof of event `seq` in the tree of `treeSize` (default: latest checkpoint). */
export const GET = apiRoute(
  {
    permission: "audit.read",
    doc: {
      summary: "Audit inclusion proof",
      description: "RFC 9162 inclusion proof of event `seq` in the tree of `treeSize` (default: latest checkpoint).",
      tags: ["audit"],
      responses: {
        200: {
          description: "The proof",
          schema: z.object({
            seq: z.number(),
            leafIndex: z.number(),
            treeSize: z.number(),
            leafHash: z.string(),
            hashes: z.array(z.string()),
          }),
        },
      },
      errors: [404],
    },
    query: inclusionQuerySchema,
  },
  async ({ query }) => inclusionProof(await getDb(), query.seq, query.treeSize),
);
