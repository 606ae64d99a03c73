import { z } from "zod";
import { getDb } from "@/db/client";
import { exportAudit, exportFormats } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

const exportQuery = z.strictObject({
  q: z.string().max(2000).optional().default(""),
  format: z.enum(exportFormats).default("jsonl"),
});

/** Streams the events an explorer query matches as JSON Lines or CSV, or an evidence bundle (format=bundle) that verifies offline. */
export const GET = apiRoute(
  {
    permission: "audit.export",
    doc: {
      summary: "Export audit events",
      description:
        "The events an explorer query matches as JSON Lines or CSV, or an evidence bundle (format=bundle) that verifies offline.",
      tags: ["audit"],
      responses: {
        200: {
          description: "JSON Lines, CSV or a bundle (JSON), by `format`",
          contentType: "application/octet-stream",
        },
      },
    },
    query: exportQuery,
  },
  async ({ query, principal }) => exportAudit(await getDb(), principal, query.q, query.format),
);
