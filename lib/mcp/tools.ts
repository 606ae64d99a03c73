import "server-only";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { defineTool, type ToolDefinition } from "@/lib/tools";
import { mcpToolName, mcpToolNamePattern } from "@/lib/utils";
import { messageOf, type McpConnection } from "./connection";

/** A tool the server offered that did not become a gateway tool, and why (shown on the Resources page). */
export interface SkippedTool {
  tool: string;
  reason: string;
}

/** An MCP tool that answered with `isError`: the model reads the server's own message as the call's error. */
export class McpToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "McpToolError";
  }
}

function textOf(result: CallToolResult): string {
  return result.content
    .filter((c) => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

/**
 * What the model reads from a successful call: the structured result when the tool gives
 * one, the text when the answer is text only, else the content items as the server sent
 * them (images and resources included; the gateway's output cap bounds their size).
 */
function outputOf(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  if (result.content.every((c) => c.type === "text")) return { text: textOf(result) };
  return { content: result.content };
}

/**
 * The validator for a tool's input: zod 4's converter of the server's JSON Schema. A schema
 * it cannot convert (an unresolvable $ref, an unsupported keyword) makes the tool unusable:
 * calls could not be validated before they reach the server, so the tool is skipped.
 */
function inputValidator(tool: Tool): { schema: z.ZodType } | { reason: string } {
  const json: Record<string, unknown> = { ...tool.inputSchema };
  if (json.type !== "object") return { reason: `input schema type is ${JSON.stringify(json.type)}, not "object"` };
  try {
    return { schema: z.fromJSONSchema(json as Parameters<typeof z.fromJSONSchema>[0]) };
  } catch (error) {
    return { reason: `input schema cannot be used for validation: ${messageOf(error)}` };
  }
}

/**
 * The server's tools as gateway tools named `mcp:<server>:<tool>`, with side effect,
 * data categories and timeout from the server's configuration (per tool, else per server;
 * an unstated side effect is `external`, so the approval gate applies). execute() is a
 * plain call through the connection: allowlist, validation, approval, quota, timeout,
 * idempotency, output cap, redaction and audit are the gateway's, as for every tool.
 */
export function mcpToolDefinitions(
  connection: McpConnection,
  tools: readonly Tool[],
): { definitions: ToolDefinition[]; skipped: SkippedTool[] } {
  const server = connection.config;
  const definitions: ToolDefinition[] = [];
  const skipped: SkippedTool[] = [];
  const seen = new Set<string>();
  for (const tool of tools) {
    if (!mcpToolNamePattern.test(tool.name)) {
      skipped.push({
        tool: tool.name.slice(0, 200),
        reason: "name is not a valid MCP tool name ([A-Za-z0-9_.-], 1–128)",
      });
      continue;
    }
    if (seen.has(tool.name)) {
      skipped.push({ tool: tool.name, reason: "offered twice by the server" });
      continue;
    }
    seen.add(tool.name);
    const validator = inputValidator(tool);
    if ("reason" in validator) {
      skipped.push({ tool: tool.name, reason: validator.reason });
      continue;
    }
    const settings = server.tools[tool.name] ?? {};
    const timeoutMs = settings.timeoutMs ?? server.timeoutMs;
    const remoteName = tool.name;
    definitions.push(
      defineTool({
        name: mcpToolName(server.name, tool.name),
        description: (tool.description ?? tool.title ?? `${tool.name} (MCP server ${server.name})`).slice(0, 4_000),
        input: validator.schema,
        inputJsonSchema: { ...tool.inputSchema },
        sideEffect: settings.sideEffect ?? server.sideEffect,
        dataCategories: settings.dataCategories ?? server.dataCategories,
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        async execute(input, ctx) {
          const result = await connection.callTool(remoteName, input, ctx.signal, ctx.callKey);
          if (result.isError) throw new McpToolError(textOf(result) || `MCP tool ${remoteName} answered with an error`);
          return outputOf(result);
        },
      }),
    );
  }
  return { definitions, skipped };
}
