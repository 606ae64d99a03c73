import "server-only";
import { createHash } from "node:crypto";
import type { ModelMessage, ToolSet } from "ai";

/**
 * Providers restrict function names (OpenAI: ^[a-zA-Z0-9_-]{1,64}$, Anthropic likewise), but
 * gateway names may not fit: MCP tools are `mcp:<server>:<tool>`. The provider sees a
 * stand-in per name for one call; answers are mapped back, so the gateway, the allowlist,
 * the stored history and the audit only ever hold the gateway name.
 */
const PROVIDER_SAFE = /^[a-zA-Z0-9_-]{1,64}$/;

export interface ToolNameMap {
  toProvider(name: string): string;
  fromProvider(name: string): string;
}

/** A deterministic stand-in for every name that is not already provider-safe, unique among `names`. */
export function providerToolNames(names: Iterable<string>): ToolNameMap {
  const all = [...new Set(names)].sort();
  const used = new Set(all.filter((n) => PROVIDER_SAFE.test(n)));
  const forward = new Map<string, string>();
  const back = new Map<string, string>();
  for (const name of all) {
    if (PROVIDER_SAFE.test(name)) continue;
    let alias = name.replace(/:/g, "__").replace(/[^a-zA-Z0-9_-]/g, "_");
    if (alias.length > 64 || used.has(alias)) {
      const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
      alias = `${alias.slice(0, 55)}_${hash}`;
    }
    used.add(alias);
    forward.set(name, alias);
    back.set(alias, name);
  }
  return {
    toProvider: (name) => forward.get(name) ?? name,
    fromProvider: (name) => back.get(name) ?? name,
  };
}

/** Every tool name a model call mentions: the tools offered and the calls and results in the history. */
export function toolNamesIn(tools: ToolSet, messages: readonly ModelMessage[]): string[] {
  const names = Object.keys(tools);
  for (const m of messages) {
    if ((m.role !== "assistant" && m.role !== "tool") || typeof m.content === "string") continue;
    for (const part of m.content) {
      if (part.type === "tool-call" || part.type === "tool-result") names.push(part.toolName);
    }
  }
  return names;
}

export function renameTools(tools: ToolSet, map: ToolNameMap): ToolSet {
  return Object.fromEntries(Object.entries(tools).map(([name, tool]) => [map.toProvider(name), tool]));
}

/** The history with provider names in tool calls and results; returns the same message when nothing changes. */
export function renameInMessages(messages: readonly ModelMessage[], map: ToolNameMap): ModelMessage[] {
  return messages.map((m): ModelMessage => {
    if (m.role === "assistant" && typeof m.content !== "string") {
      return {
        ...m,
        content: m.content.map((part) =>
          part.type === "tool-call" || part.type === "tool-result"
            ? { ...part, toolName: map.toProvider(part.toolName) }
            : part,
        ),
      };
    }
    if (m.role === "tool") {
      return {
        ...m,
        content: m.content.map((part) =>
          part.type === "tool-result" ? { ...part, toolName: map.toProvider(part.toolName) } : part,
        ),
      };
    }
    return m;
  });
}
