import { getDb } from "@/db/client";
import { checkpointResponse } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The latest signed checkpoint: a C2SP tlog-checkpoint as a signed note (text/plain). */
export const GET = apiRoute({ permission: "audit.read" }, async () => checkpointResponse(await getDb()));
