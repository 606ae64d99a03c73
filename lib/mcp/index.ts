import "server-only";

// MCP servers as gateway tools: configuration → connection (the official SDK client) →
// discovered tools as ToolDefinitions (mcp:<server>:<tool>) → per-server status.
export { loadMcpConfig, parseMcpServers, type McpServerConfig } from "./config";
export { McpConnection } from "./connection";
export { mcpToolDefinitions, McpToolError, type SkippedTool } from "./tools";
export { startMcpServers, type McpServers } from "./start";
export { listMcpServerStatus, type McpServerStatus } from "./status";
