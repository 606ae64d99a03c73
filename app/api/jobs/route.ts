import { z } from "zod";
import { getDb } from "@/db/client";
import { listJobs } from "@/lib/jobs";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

const query = z.object({
  includeRemoved: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});

/** The job registry with governance, triggers (next fire times) and missed-tick counts. */
export const GET = apiRoute(
  {
    permission: "jobs.read",
    doc: {
      summary: "List jobs",
      description: "The job registry with governance, triggers (next fire times) and missed-tick counts.",
      tags: ["jobs"],
      responses: {
        200: {
          description: "The jobs",
          schema: z.object({
            jobs: z.array(
              z.looseObject({
                id: z.string(),
                domain: z.string(),
                title: z.string(),
                version: z.string(),
                removedAt: z.string().nullable(),
                triggers: z.array(z.looseObject({ kind: z.string() })),
                nextFireAt: z.string().nullable(),
                missedTicks: z.number(),
              }),
            ),
          }),
        },
      },
    },
    query,
  },
  async ({ query }) => ({
    jobs: await listJobs(await getDb(), { includeRemoved: query.includeRemoved }),
  }),
);
