import { getDb } from "@/db/client";
import { checkpointResponse } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** The latest signed checkpoint: a C2SP tlog-checkpoint as a signed note (text/plain). */
export const GET = apiRoute(
  {
    permission: "audit.read",
    doc: {
      summary: "The latest signed audit checkpoint",
      description: "A C2SP tlog-checkpoint as a signed note.",
      tags: ["audit"],
      responses: { 200: { description: "The signed note", contentType: "text/plain" } },
      errors: [404],
    },
  },
  async () => checkpointResponse(await getDb()),
);
