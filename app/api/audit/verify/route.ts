import { z } from "zod";
import { getDatabase } from "@/db/client";
import { verifyAuditChainGuarded } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/**
 * Recomputes every leaf and the root, checks signatures, MACs and anchors; names where the
 * log first breaks. Off the event loop on Postgres and single-flight everywhere
 * (lib/audit/verify-guard.ts).
 */
export const GET = apiRoute(
  {
    permission: "audit.verify",
    doc: {
      summary: "Verify the audit log",
      description:
        "Recomputes every leaf and the root, checks signatures, MACs and anchors; names where the log first breaks.",
      tags: ["audit"],
      responses: {
        200: {
          description: "The verdict",
          schema: z.looseObject({
            ok: z.boolean(),
            checked: z.number(),
            firstBadSeq: z.number().nullable(),
            problem: z.string().nullable(),
            treeSize: z.number(),
          }),
        },
      },
      errors: [429],
    },
  },
  async () => verifyAuditChainGuarded(await getDatabase()),
);
