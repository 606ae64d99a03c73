import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { McpServerConfig } from "./config";

const STDERR_TAIL_BYTES = 2_000;
/** Longer than any tool timeout (FLIGHTDECK_TOOL_TIMEOUT_MS and per-server timeoutMs stop at 600 s). */
const SDK_BACKSTOP_TIMEOUT_MS = 601_000;
/** The `_meta` key that carries a call's idempotency key to the server. */
export const CALL_KEY_META = "dev.flightdeck/callKey";

/**
 * One configured server, through the official SDK client. It connects on first use and
 * again after the connection broke (a stdio process that exited, an HTTP server that lost
 * the session), so a server that comes back is used again without a restart. Calls never
 * retry on their own: the gateway records one attempt per call.
 */
export class McpConnection {
  private client: Client | null = null;
  private opening: Promise<Client> | null = null;
  private stderrTail = "";

  constructor(
    readonly config: McpServerConfig,
    private readonly onClosed: (reason: string) => void = () => {},
    private readonly onOpened: () => void = () => {},
  ) {}

  /**
   * What the status shows every role: the program (not its arguments) or the URL's origin and
   * path (not its query) — arguments and queries are where literal keys tend to be written.
   */
  get target(): string {
    const c = this.config;
    if (c.transport === "http") {
      const url = new URL(c.url);
      return `${url.origin}${url.pathname}`;
    }
    return c.args.length > 0 ? `${c.command} (+${c.args.length} args)` : c.command;
  }

  private transport(): Transport {
    const c = this.config;
    if (c.transport === "http") {
      return new StreamableHTTPClientTransport(new URL(c.url), { requestInit: { headers: c.headers } });
    }
    const transport = new StdioClientTransport({
      command: c.command,
      args: [...c.args],
      // The SDK's safe defaults (PATH, HOME, …), not Flightdeck's own environment and secrets.
      env: { ...getDefaultEnvironment(), ...c.env },
      ...(c.cwd ? { cwd: c.cwd } : {}),
      stderr: "pipe",
    });
    // Kept for the status: a server that dies usually says why on stderr.
    transport.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    return transport;
  }

  private async open(): Promise<Client> {
    const client = new Client({ name: "flightdeck", version: "1.0.0" });
    client.onclose = () => {
      if (this.client !== client) return;
      this.client = null;
      this.onClosed(this.withStderr("connection closed"));
    };
    try {
      await client.connect(this.transport(), { timeout: this.config.connectTimeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw new Error(this.withStderr(messageOf(error)));
    }
    this.client = client;
    this.onOpened();
    return client;
  }

  private withStderr(message: string): string {
    const tail = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
    return tail ? `${message} (stderr: ${tail.slice(-500)})` : message;
  }

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    this.opening ??= this.open().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Connects if needed and lists every tool (all pages), within the connect timeout. */
  async listTools(): Promise<Tool[]> {
    const client = await this.connected();
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.config.connectTimeoutMs });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  /**
   * One call. `signal` is the gateway's (timeout, cancel, lease loss): the SDK sends the
   * server a cancellation when it aborts. A transport failure drops the connection so the
   * next call reconnects; an MCP error answer (unknown tool, bad params) keeps it.
   */
  async callTool(name: string, args: unknown, signal: AbortSignal, callKey: string): Promise<CallToolResult> {
    const client = await this.connected();
    try {
      const result = await client.callTool(
        // The call's idempotency key (run:turn:call), like http_fetch's Idempotency-Key, for servers that dedupe.
        { name, arguments: (args ?? {}) as Record<string, unknown>, _meta: { [CALL_KEY_META]: callKey } },
        undefined,
        // The gateway's timer (tool, scope or env timeout) aborts `signal` and names the timeout; the SDK's own
        // 60 s default must not cut a longer configured one, so it is set past the longest the gateway allows.
        { signal, timeout: SDK_BACKSTOP_TIMEOUT_MS },
      );
      return result as CallToolResult;
    } catch (error) {
      if (!signal.aborted && (!(error instanceof McpError) || error.code === ErrorCode.ConnectionClosed)) {
        await this.reset(client);
        this.onClosed(this.withStderr(messageOf(error)));
      }
      throw error;
    }
  }

  private async reset(client: Client): Promise<void> {
    if (this.client === client) this.client = null;
    await client.close().catch(() => {});
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.close().catch(() => {});
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`.slice(0, 1_000);
  }
  return String(error).slice(0, 1_000);
}
