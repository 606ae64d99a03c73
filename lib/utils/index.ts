// Client-safe (no "server-only"): used by client components.

export { cn } from "./cn";
export {
  MAX_TOOL_NAME_LENGTH,
  mcpServerNamePattern,
  mcpToolName,
  mcpToolNamePattern,
  plainToolNamePattern,
  toolNamePattern,
} from "./tool-name";
