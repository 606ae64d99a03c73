import { getDb } from "@/db/client";
import { consistencyQuerySchema } from "@/lib/audit/http";
import { consistencyProof } from "@/lib/audit/proofs";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** RFC 9162 consistency proof from tree size `from` to `to` (default: latest checkpoint). */
export const GET = apiRoute({ permission: "audit.read", query: consistencyQuerySchema }, async ({ query }) =>
  consistencyProof(await getDb(), query.from, query.to),
);
