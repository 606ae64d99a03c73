import "server-only";
import { appContext } from "@/lib/context";
import { getEnv, type Env } from "@/lib/env";
import { registerToolSecrets, registerTools, toolRedactor } from "@/lib/tools";
import { loadMcpConfig } from "./config";
import { McpConnection, messageOf } from "./connection";
import { clearMcpServerStatus, mcpServerState, setMcpServerStatus, updateMcpServerStatus } from "./status";
import { mcpToolDefinitions } from "./tools";

export interface McpServers {
  /** Servers configured (connected or not). */
  count: number;
  /** Connects the servers that are down and lists their tools again (the retry timer does this too). */
  rediscover(): Promise<void>;
  close(): Promise<void>;
}

declare module "@/lib/context/app-context" {
  interface AppContext {
    mcp?: McpServers;
  }
}

const RETRY_INTERVAL_MS = 30_000;

/**
 * Reads the MCP configuration (a malformed one throws EnvError naming server and field, which
 * stops start-up), connects every server, lists its tools and registers them as gateway tools.
 * A server that is down does not stop start-up: it is shown as down with its error, its
 * tools are unknown to the gateway (a call is refused as "no such tool"), and it is tried
 * again every 30 s; a call to a server that went down after discovery fails with its error.
 */
export async function startMcpServers(
  options: { env?: Env; retryIntervalMs?: number; log?: (message: string) => void } = {},
): Promise<McpServers> {
  const env = options.env ?? getEnv();
  const { servers, secrets } = loadMcpConfig(env);
  await appContext().mcp?.close();
  clearMcpServerStatus();
  registerToolSecrets(secrets);
  const redact = (text: string) => toolRedactor().redactString(text);
  const discovered = new Set<string>();
  const connections = servers.map(
    (config) =>
      new McpConnection(
        config,
        (reason) => updateMcpServerStatus(config.name, { state: "down", lastError: redact(reason) }),
        // A call that reconnected a server shown as down: it is up again (its tools are registered already).
        () => {
          if (discovered.has(config.name)) updateMcpServerStatus(config.name, { state: "connected", lastError: null });
        },
      ),
  );

  async function discover(connection: McpConnection): Promise<void> {
    const { name } = connection.config;
    updateMcpServerStatus(name, { state: "connecting" });
    try {
      const { definitions, skipped } = mcpToolDefinitions(connection, await connection.listTools());
      registerTools(definitions);
      discovered.add(name);
      updateMcpServerStatus(name, {
        state: "connected",
        lastError: null,
        tools: definitions.map((d) => d.name).sort(),
        skipped: skipped.map((s) => ({ tool: s.tool, reason: redact(s.reason) })),
      });
      for (const s of skipped) options.log?.(`MCP server ${name}: tool ${s.tool} skipped: ${s.reason}`);
      options.log?.(`MCP server ${name}: ${definitions.length} tools`);
    } catch (error) {
      const message = redact(messageOf(error));
      updateMcpServerStatus(name, { state: "down", lastError: message });
      options.log?.(`MCP server ${name} is down: ${message}`);
    }
  }

  for (const connection of connections) {
    setMcpServerStatus({
      name: connection.config.name,
      transport: connection.config.transport,
      target: redact(connection.target),
      state: "connecting",
      lastError: null,
      tools: [],
      skipped: [],
      lastChecked: new Date().toISOString(),
    });
  }
  await Promise.all(connections.map(discover));

  let retrying: Promise<void> | null = null;
  const rediscover = () =>
    (retrying ??= Promise.all(
      connections
        .filter((c) => mcpServerState(c.config.name) === "down" || !discovered.has(c.config.name))
        .map(discover),
    ).then(
      () => {
        retrying = null;
      },
      () => {
        retrying = null;
      },
    ));
  const timer =
    connections.length > 0 ? setInterval(() => void rediscover(), options.retryIntervalMs ?? RETRY_INTERVAL_MS) : null;
  timer?.unref();

  const handle: McpServers = {
    count: connections.length,
    rediscover,
    async close() {
      if (timer) clearInterval(timer);
      await Promise.all(connections.map((c) => c.close()));
      if (appContext().mcp === handle) appContext().mcp = undefined;
    },
  };
  appContext().mcp = handle;
  return handle;
}
