import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { endpointUsage } from "@/lib/board";
import { listMcpServerStatus } from "@/lib/mcp";

export const dynamic = "force-dynamic";

/**
 * Model endpoints with capacity, slots in use and waiting runs (the resources page polls this),
 * and the configured MCP servers' status in this process (empty when none is configured).
 */
export const GET = apiRoute(
  {
    permission: "resources.read",
    doc: {
      summary: "Model endpoints and MCP servers",
      description:
        "Model endpoints with capacity, slots in use and waiting runs, and the MCP servers' status in this process.",
      tags: ["resources"],
      responses: {
        200: {
          description: "The resources",
          schema: z.object({
            endpoints: z.array(
              z.looseObject({
                name: z.string(),
                provider: z.string(),
                model: z.string(),
                capacity: z.number(),
                inUse: z.number(),
                waiting: z.number(),
              }),
            ),
            mcpServers: z.array(z.looseObject({ name: z.string() })),
          }),
        },
      },
    },
  },
  async () =>
    Response.json(
      { endpoints: await endpointUsage(await getDb()), mcpServers: listMcpServerStatus() },
      { headers: { "cache-control": "no-store" } },
    ),
);
