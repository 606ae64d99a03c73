import { z } from "zod";
import { getDb } from "@/db/client";
import { workspaceListingForApi } from "@/lib/board";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The run's workspace files (path, bytes, sha256, turnIndex, writtenAt), from the database; 404 for an unknown run. */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "A run's workspace files",
      description: "Path, bytes, sha256, turnIndex, writtenAt, from the database.",
      tags: ["runs"],
      responses: {
        200: {
          description: "The listing",
          schema: z.object({
            runId: z.string(),
            files: z.array(
              z.object({
                path: z.string(),
                bytes: z.number(),
                sha256: z.string().nullable().optional(),
                turnIndex: z.number().nullable(),
                writtenAt: z.string().nullable().optional(),
              }),
            ),
            usedBytes: z.number(),
            truncated: z.boolean(),
          }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => workspaceListingForApi(await getDb(), String(params.id)),
);
