// Client-safe (no "server-only"): used by client components.

export { cn } from "./cn";
export { csvCell, csvRow } from "./csv";
export {
  MAX_TOOL_NAME_LENGTH,
  mcpServerNamePattern,
  mcpToolName,
  mcpToolNamePattern,
  plainToolNamePattern,
  toolNamePattern,
} from "./tool-name";
export { textStream } from "./text-stream";
