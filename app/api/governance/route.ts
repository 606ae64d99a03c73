import { z } from "zod";
import { getDb } from "@/db/client";
import { governanceQuerySchema, governanceRegister, registerCsv } from "@/lib/compliance";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The governance register: every job's owner, purpose, risk, data categories, oversight, authorization, retention, tools, versions and runs. ?risk=, ?category=, ?format=csv. */
export const GET = apiRoute(
  {
    permission: "governance.read",
    doc: {
      summary: "The governance register",
      description:
        "Every job's owner, purpose, risk, data categories, oversight, authorization, retention, tools, versions and runs; `format=csv` for a spreadsheet.",
      tags: ["governance"],
      responses: {
        200: {
          description: "The register (JSON, or CSV with format=csv)",
          schema: z.object({
            jobs: z.array(
              z.looseObject({
                jobId: z.string(),
                title: z.string(),
                domain: z.string(),
                owner: z.string(),
                riskLevel: z.string(),
                dataCategories: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    query: governanceQuerySchema,
  },
  async ({ query }) => {
    const { format, ...filter } = query;
    const entries = await governanceRegister(await getDb(), filter);
    if (format === "csv") {
      return new Response(registerCsv(entries), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": 'attachment; filename="flightdeck-governance-register.csv"',
          "cache-control": "no-store",
        },
      });
    }
    return { jobs: entries };
  },
);
