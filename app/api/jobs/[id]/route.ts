import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { getJob } from "@/lib/jobs";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** One job with its version history (newest first); 404 for an unknown id. */
export const GET = apiRoute(
  {
    permission: "jobs.read",
    doc: {
      summary: "One job",
      description: "The job with its version history (newest first).",
      tags: ["jobs"],
      responses: {
        200: {
          description: "The job",
          schema: z.object({
            job: z.looseObject({ id: z.string(), title: z.string(), version: z.string() }),
            versions: z.array(z.looseObject({ version: z.string(), createdAt: z.string(), current: z.boolean() })),
          }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => {
    const id = typeof params.id === "string" ? params.id : "";
    const detail = await getJob(await getDb(), id);
    if (!detail) throw new AppError("not_found", `Unknown job "${id}"`);
    return detail;
  },
);
