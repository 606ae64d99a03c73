import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { searchQuery, searchRuns } from "@/lib/board";

export const dynamic = "force-dynamic";

const runHit = z.object({
  id: z.string(),
  title: z.string().nullable(),
  jobId: z.string(),
  jobTitle: z.string(),
  state: z.string(),
  fairKey: z.string(),
  customer: z.string().nullable(),
  createdAt: z.string(),
});

/** The command palette: runs by id prefix, title, job or customer, newest first; jobs by title. */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "Find runs and jobs",
      description:
        "`q` is a run id prefix (the short id or more), words of a run title, a job, or a customer (address or domain). Newest runs first.",
      tags: ["runs"],
      responses: {
        200: {
          description: "Matching runs and jobs",
          schema: z.object({ runs: z.array(runHit), jobs: z.array(z.object({ id: z.string(), title: z.string() })) }),
        },
      },
    },
    query: searchQuery,
  },
  async ({ query }) => searchRuns(await getDb(), query),
);
