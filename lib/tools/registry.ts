import "server-only";
import type { ToolDefinition } from "./types";

// On globalThis: Next bundles instrumentation and routes as separate module graphs.
const key = Symbol.for("flightdeck.tools");
type Store = typeof globalThis & { [key]?: Map<string, ToolDefinition> };
const store = globalThis as Store;

function tools(): Map<string, ToolDefinition> {
  store[key] ??= new Map();
  return store[key];
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
