import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createLoopMcpServer } from "./mcp-loop-server";

// The loop MCP server over stdio, run by node --import tsx (tests/mcp/mcp.test.ts).
await createLoopMcpServer({ calls: [] }).connect(new StdioServerTransport());
