import "server-only";
import { appContext } from "@/lib/context";
import type { ToolDefinition } from "./types";

// Held by the app context (lib/context): instrumentation and route bundles share it.
declare module "@/lib/context/app-context" {
  interface AppContext {
    tools?: Map<string, ToolDefinition>;
  }
}

function tools(): Map<string, ToolDefinition> {
  return (appContext().tools ??= new Map());
}

/** Built-in tools and domain packs register here. Re-registering a name replaces it (dev reloads). */
export function registerTools(definitions: readonly ToolDefinition[]): void {
  for (const definition of definitions) tools().set(definition.name, definition);
}

export function getTool(name: string): ToolDefinition | undefined {
  return tools().get(name);
}

export function listTools(): ToolDefinition[] {
  return [...tools().values()].sort((a, b) => a.name.localeCompare(b.name));
}
