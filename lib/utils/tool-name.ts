// Client-safe and pure: the one definition of a tool's name, shared by job declarations,
// tool quotas and the MCP bridge so an allowlist entry, a quota and a tool agree.

/** A built-in or pack tool: snake_case. */
export const plainToolNamePattern = /^[a-z][a-z0-9_]*$/;

/** An MCP server's name in FLIGHTDECK_MCP_SERVERS: lower-case, no ':' (it separates the parts of a tool name). */
export const mcpServerNamePattern = /^[a-z][a-z0-9_-]{0,31}$/;

/** A tool name as an MCP server may spell it (MCP spec: 1–128 of A–Z a–z 0–9 _ - .). */
export const mcpToolNamePattern = /^[A-Za-z0-9_.-]{1,128}$/;

/** Any gateway tool name: a plain name, or `mcp:<server>:<tool>` for a tool discovered on an MCP server. */
export const toolNamePattern = /^(?:[a-z][a-z0-9_]*|mcp:[a-z][a-z0-9_-]{0,31}:[A-Za-z0-9_.-]{1,128})$/;

/** The longest name toolNamePattern admits (mcp: + 32 + : + 128). */
export const MAX_TOOL_NAME_LENGTH = 165;

/** The gateway name of an MCP server's tool. */
export function mcpToolName(server: string, tool: string): string {
  return `mcp:${server}:${tool}`;
}
