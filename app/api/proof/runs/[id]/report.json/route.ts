import { z } from "zod";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { readReportFile } from "@/lib/proof-runs";

export const dynamic = "force-dynamic";

/** The report's raw figures as `npm run proof` wrote them (lib/proof ProofReport, format "flightdeck-proof"). */
export const GET = apiRoute(
  {
    permission: "proof.read",
    doc: {
      summary: "A proof run's report (JSON)",
      description:
        "Version, commit, machine, date, command, thresholds, every claim with its figure, threshold, verdict and evidence link.",
      tags: ["proof"],
      responses: {
        200: {
          description: "The report",
          schema: z.looseObject({ format: z.literal("flightdeck-proof"), claims: z.array(z.looseObject({})) }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => {
    const id = String(params.id);
    const body = readReportFile(id, "report.json");
    if (body === null) throw new AppError("not_found", `Proof run ${id} has no report (yet)`);
    return new Response(body, {
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    });
  },
);
