import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback HTTP server speaking the OpenAI chat-completions protocol (non-streaming),
 * scripted per request: tool calls, usage, 429/5xx, slow and broken responses. Tests point
 * a real AI SDK provider at it, so the whole provider path runs.
 */
export interface ChatRequestBody {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  [key: string]: unknown;
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body, or a raw string sent as is (for broken JSON). */
  body?: unknown;
  delayMs?: number;
}

export type Responder = (request: ChatRequestBody, index: number) => ScriptedReply | Promise<ScriptedReply>;

export interface Loopback {
  baseUrl: string;
  requests: { path: string; authorization: string | undefined; body: ChatRequestBody }[];
  close(): Promise<void>;
}

export async function startOpenAiLoopback(responder: Responder): Promise<Loopback> {
  const requests: Loopback["requests"] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        let body: ChatRequestBody;
        try {
          body = JSON.parse(raw) as ChatRequestBody;
        } catch {
          res.writeHead(400).end();
          return;
        }
        const index = requests.length;
        requests.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
        const reply = await responder(body, index);
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (res.destroyed) return;
        const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ScriptedToolCall {
  name: string;
  /** Object (serialised) or raw string (sent verbatim, e.g. broken JSON). */
  arguments: unknown;
  id?: string;
}

let callCounter = 0;

/** A chat.completion body with optional text and tool calls. */
export function completion(options: {
  content?: string | null;
  toolCalls?: ScriptedToolCall[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  model?: string;
}): ScriptedReply {
  const toolCalls = options.toolCalls?.map((c) => ({
    id: c.id ?? `call_${++callCounter}`,
    type: "function",
    function: { name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) },
  }));
  const usage = options.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
  return {
    body: {
      id: `chatcmpl-${++callCounter}`,
      object: "chat.completion",
      created: 1_700_000_000,
      model: options.model ?? "loopback-model",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: options.content ?? null,
            ...(toolCalls?.length ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: toolCalls?.length ? "tool_calls" : "stop",
        },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

export function providerError(status: number, message: string, headers?: Record<string, string>): ScriptedReply {
  return { status, headers, body: { error: { message, type: status === 429 ? "rate_limit_error" : "server_error" } } };
}
