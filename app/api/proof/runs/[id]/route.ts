import { z } from "zod";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { getProofRun } from "@/lib/proof-runs";
import { proofRunSchema } from "../schema";

export const dynamic = "force-dynamic";

/** One proof run with the last 200 lines of its progress; the page polls this while it runs. */
export const GET = apiRoute(
  {
    permission: "proof.read",
    doc: {
      summary: "A proof run and its progress",
      description: "Its status, verdicts when finished, and the last 200 lines the process printed.",
      tags: ["proof"],
      responses: {
        200: { description: "The run", schema: proofRunSchema.extend({ progress: z.array(z.string()) }) },
      },
      errors: [404],
    },
  },
  async ({ params }) => {
    const run = getProofRun(String(params.id));
    if (!run) throw new AppError("not_found", `No proof run ${String(params.id)}`);
    return run;
  },
);
