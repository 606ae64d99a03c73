import { getDb } from "@/db/client";
import { workspaceListingForApi } from "@/lib/board";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The run's workspace files (path, bytes, sha256, turnIndex, writtenAt), from the database; 404 for an unknown run. */
export const GET = apiRoute({ permission: "runs.read" }, async ({ params }) =>
  workspaceListingForApi(await getDb(), String(params.id)),
);
