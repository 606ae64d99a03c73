import { getDb } from "@/db/client";
import { workspaceListingForApi } from "@/lib/board/workspace-files";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The run's workspace files (path, bytes, sha256, turnIndex, writtenAt), from the database; 404 for an unknown run. */
export const GET = apiRoute({ permission: "runs.read" }, async ({ params }) => workspaceListingForApi(await getDb(), String(params.id)));
