import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { endpointUsage } from "@/lib/board";
import { listMcpServerStatus } from "@/lib/mcp";

export const dynamic = "force-dynamic";

/**
 * Model endpoints with capacity, slots in use and waiting runs (the resources page polls this),
 * and the configured MCP servers' status in this process (empty when none is configured).
 */
export const GET = apiRoute({ permission: "resources.read" }, async () =>
  Response.json(
    { endpoints: await endpointUsage(await getDb()), mcpServers: listMcpServerStatus() },
    { headers: { "cache-control": "no-store" } },
  ),
);
