import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/**
 * A small MCP server for the tests, built with the official SDK's low-level Server so each
 * tool's JSON Schema is exactly what a real server would send: echo, add, fail (answers
 * isError), slow (sleeps, honouring cancellation) and broken (a schema with a $ref that
 * resolves nowhere, which Flightdeck must skip). `calls` counts what reached the server.
 */
export interface LoopCalls {
  calls: { name: string; arguments: unknown; meta?: unknown }[];
}

export function createLoopMcpServer(state: LoopCalls): Server {
  const server = new Server({ name: "loop", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      {
        name: "echo",
        description: "Echo the text back",
        inputSchema: {
          type: "object",
          properties: { text: { type: "string", maxLength: 200 } },
          required: ["text"],
          additionalProperties: false,
        },
      },
      {
        name: "add",
        description: "Add two numbers",
        inputSchema: {
          type: "object",
          properties: { a: { type: "number" }, b: { type: "number" } },
          required: ["a", "b"],
        },
      },
      { name: "fail", description: "Always answers with an error", inputSchema: { type: "object", properties: {} } },
      {
        name: "slow",
        description: "Sleeps for ms milliseconds",
        inputSchema: { type: "object", properties: { ms: { type: "integer", minimum: 0 } }, required: ["ms"] },
      },
      {
        name: "broken",
        description: "Its schema points nowhere",
        inputSchema: { type: "object", properties: { x: { $ref: "#/$defs/missing" } } },
      },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    state.calls.push({ name: request.params.name, arguments: args, meta: request.params._meta });
    switch (request.params.name) {
      case "echo":
        return { content: [{ type: "text", text: String(args.text) }] };
      case "add":
        return {
          content: [{ type: "text", text: String(Number(args.a) + Number(args.b)) }],
          structuredContent: { sum: Number(args.a) + Number(args.b) },
        };
      case "fail":
        return { isError: true, content: [{ type: "text", text: "the loop server refuses this on purpose" }] };
      case "slow":
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Number(args.ms));
          extra.signal.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
          });
        });
        return { content: [{ type: "text", text: "done" }] };
      default:
        return { isError: true, content: [{ type: "text", text: `unknown tool ${request.params.name}` }] };
    }
  });
  return server;
}

export interface LoopHttpServer extends LoopCalls {
  url: string;
  /** Authorization headers seen, to prove configured headers are sent. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** Streamable HTTP on 127.0.0.1 (a random port unless given); stateless (a fresh server and transport per request). */
export async function startLoopHttpServer(port = 0): Promise<LoopHttpServer> {
  const state: LoopHttpServer = {
    url: "",
    calls: [],
    authorizations: [],
    close: async () => {},
  };
  const http: HttpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.authorizations.push(req.headers.authorization);
    void (async () => {
      const server = createLoopMcpServer(state);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  state.close = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return state;
}
