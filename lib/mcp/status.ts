import "server-only";
import { appContext } from "@/lib/context";

/** One configured server as this process last saw it (the Resources page and GET /api/resources show it). */
export interface McpServerStatus {
  name: string;
  transport: "stdio" | "http";
  /** The command line or URL, without headers or environment. */
  target: string;
  state: "connecting" | "connected" | "down";
  /** The last connection or discovery error, redacted. */
  lastError: string | null;
  /** Gateway names of the tools discovered, sorted. */
  tools: string[];
  /** Tools the server offered that could not be made gateway tools, and why. */
  skipped: { tool: string; reason: string }[];
  /** ISO time of the last connection attempt or call that changed the state. */
  lastChecked: string;
}

// Held by the app context: the route handlers read what start-up (instrumentation) wrote.
declare module "@/lib/context/app-context" {
  interface AppContext {
    mcpServers?: Map<string, McpServerStatus>;
  }
}

function statuses(): Map<string, McpServerStatus> {
  return (appContext().mcpServers ??= new Map());
}

export function setMcpServerStatus(status: McpServerStatus): void {
  statuses().set(status.name, status);
}

export function updateMcpServerStatus(name: string, change: Partial<Omit<McpServerStatus, "name">>): void {
  const current = statuses().get(name);
  if (current) statuses().set(name, { ...current, ...change, lastChecked: new Date().toISOString() });
}

/** Every configured server, by name; empty when none is configured. */
export function listMcpServerStatus(): McpServerStatus[] {
  return [...statuses().values()]
    .map((s) => ({ ...s, tools: [...s.tools], skipped: [...s.skipped] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function mcpServerState(name: string): McpServerStatus["state"] | undefined {
  return statuses().get(name)?.state;
}

/** Tests and dev reloads start from no servers. */
export function clearMcpServerStatus(): void {
  statuses().clear();
}
