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
export const GET = apiRoute({ permission: "jobs.read", query }, async ({ query }) => ({
  jobs: await listJobs(await getDb(), { includeRemoved: query.includeRemoved }),
}));
