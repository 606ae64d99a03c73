import { getDb } from "@/db/client";
import { workspaceFileForApi } from "@/lib/board";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** One workspace file's content (text/plain); 404 when the run or the path does not exist. */
export const GET = apiRoute(
  {
    permission: "runs.read",
    doc: {
      summary: "One workspace file",
      description: "The file's content; 404 when the run or the path does not exist.",
      tags: ["runs"],
      responses: { 200: { description: "The file's bytes", contentType: "text/plain" } },
      errors: [404],
    },
  },
  async ({ params }) => {
    const segments = Array.isArray(params.path) ? params.path : [String(params.path ?? "")];
    return workspaceFileForApi(await getDb(), String(params.id), segments.join("/"));
  },
);
