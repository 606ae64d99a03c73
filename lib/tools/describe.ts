import "server-only";
import { jsonSchema, tool, type ToolSet } from "ai";
import { z } from "zod";
import type { JSONSchema7 } from "@ai-sdk/provider";
import { getTool } from "./registry";

/**
 * The job's allowed tools as the model sees them: name, description, JSON Schema — and no
 * execute, so the SDK never runs them and performs no validation of its own; every call
 * (including one for a tool not listed here) comes back to invokeTool.
 */
export function describeTools(allowed: readonly string[]): ToolSet {
  const set: ToolSet = {};
  for (const name of allowed) {
    const definition = getTool(name);
    if (!definition) continue;
    const schema =
      definition.inputJsonSchema ??
      z.toJSONSchema(definition.input, { target: "draft-7", io: "input", unrepresentable: "any" });
    set[name] = tool({ description: definition.description, inputSchema: jsonSchema(schema as JSONSchema7) });
  }
  return set;
}
