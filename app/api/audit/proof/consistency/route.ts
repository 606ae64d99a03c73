import { getDb } from "@/db/client";
import { consistencyQuerySchema } from "@/lib/audit";
import { consistencyProof } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** RFC 9162 consistency proof from tree size `from` to `to` (default: latest checkpoint). */
export const GET = apiRoute({ permission: "audit.read", query: consistencyQuerySchema }, async ({ query }) =>
  consistencyProof(await getDb(), query.from, query.to),
);
