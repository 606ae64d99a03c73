import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { readReportFile } from "@/lib/proof-runs";

export const dynamic = "force-dynamic";

/** The report as `npm run proof` wrote it: self-contained HTML, which this CSP lets load nothing and run no script. */
export const GET = apiRoute(
  {
    permission: "proof.read",
    doc: {
      summary: "A proof run's report (HTML)",
      description: "The self-contained report: inline CSS and SVG charts, no script, nothing loaded from elsewhere.",
      tags: ["proof"],
      responses: { 200: { description: "The report", contentType: "text/html" } },
      errors: [404],
    },
  },
  async ({ params }) => {
    const id = String(params.id);
    const body = readReportFile(id, "report.html");
    if (body === null) throw new AppError("not_found", `Proof run ${id} has no report (yet)`);
    return new Response(body, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy":
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
      },
    });
  },
);
