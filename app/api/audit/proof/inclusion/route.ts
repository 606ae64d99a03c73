import { getDb } from "@/db/client";
import { inclusionQuerySchema } from "@/lib/audit";
import { inclusionProof } from "@/lib/audit";
import { apiRoute } from "@/lib/http";

export const dynamic = "force-dynamic";

/** RFC 9162 inclusion proof of event `seq` in the tree of `treeSize` (default: latest checkpoint). */
export const GET = apiRoute({ permission: "audit.read", query: inclusionQuerySchema }, async ({ query }) =>
  inclusionProof(await getDb(), query.seq, query.treeSize),
);
