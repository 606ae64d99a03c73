import "server-only";
import { registerTools } from "../registry";
import type { ToolDefinition } from "../types";
import { deleteFileTool, listFilesTool, readFileTool, writeFileTool } from "./files";
import { httpFetchTool } from "./http-fetch";
import { notifyTool } from "./notify";
import { stateGetTool, stateSetTool } from "./state";
import { waitForSignalTool } from "./wait-for-signal";

export const builtinTools: readonly ToolDefinition[] = [
  readFileTool,
  writeFileTool,
  listFilesTool,
  deleteFileTool,
  httpFetchTool,
  notifyTool,
  stateGetTool,
  stateSetTool,
  waitForSignalTool,
];

export function registerBuiltinTools(): void {
  registerTools(builtinTools);
}
