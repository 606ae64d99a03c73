import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonSchema, tool } from "ai";
import { callModel, ModelCallError, modelFor, type ModelEndpoint } from "@/lib/models";
import { providerToolNames } from "@/lib/models/tool-names";
import {
  completion,
  providerError,
  startOpenAiLoopback,
  type Loopback,
  type Responder,
} from "../helpers/openai-loopback";

/**
 * The real provider path (AI SDK openai-compatible → HTTP on loopback) under callModel's
 * one retry policy. Each test scripts its own responder.
 */
let responder: Responder = () => completion({ content: "hi" });
let server: Loopback;

beforeAll(async () => {
  server = await startOpenAiLoopback((body, i) => responder(body, i));
});
afterAll(() => server.close());

function endpoint(): ModelEndpoint {
  return {
    name: "loop",
    provider: "openai-compatible",
    baseUrl: server.baseUrl,
    apiKey: "sk-loopback-test-key-0123456789",
    model: "loop-model",
    maxConcurrency: 2,
    retryBaseMs: 20,
    retryMaxMs: 200,
  };
}

const tools = {
  lookup_customer: tool({
    description: "Look up a customer",
    inputSchema: jsonSchema({ type: "object", properties: { email: { type: "string" } }, required: ["email"] }),
  }),
};

function call(deadlineMs = 5_000, signal = new AbortController().signal) {
  const { model } = modelFor(endpoint(), "job");
  return callModel({
    model,
    endpoint: "loop",
    system: "You are a test.",
    messages: [{ role: "user", content: "hello" }],
    tools,
    signal,
    deadline: new Date(Date.now() + deadlineMs),
    retry: { baseMs: 20, maxMs: 200, random: () => 0.5 },
  });
}

describe("callModel over an OpenAI-compatible loopback server", () => {
  it("returns tool calls and token usage, and describes tools without executing them", async () => {
    const before = server.requests.length;
    responder = () =>
      completion({
        content: "Looking that up.",
        toolCalls: [{ name: "lookup_customer", arguments: { email: "ada@example.com" } }],
        usage: { prompt_tokens: 321, completion_tokens: 45 },
      });
    const answer = await call();
    expect(answer.text).toBe("Looking that up.");
    expect(answer.toolCalls).toEqual([
      expect.objectContaining({ toolName: "lookup_customer", input: { email: "ada@example.com" } }),
    ]);
    expect(answer.toolCalls[0]?.parseError).toBeUndefined();
    expect(answer.usage).toEqual({ inputTokens: 321, outputTokens: 45 });
    expect(answer.attempts).toBe(1);
    const request = server.requests[before];
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.authorization).toBe("Bearer sk-loopback-test-key-0123456789");
    expect(request?.body.model).toBe("loop-model");
    expect(request?.body.tools?.map((t) => t.function.name)).toEqual(["lookup_customer"]);
    expect(server.requests.length - before).toBe(1);
  });

  it("retries a 429 with backoff and then succeeds", async () => {
    const before = server.requests.length;
    responder = (_b, i) => (i === before ? providerError(429, "slow down please") : completion({ content: "done" }));
    const answer = await call();
    expect(answer.text).toBe("done");
    expect(answer.attempts).toBe(2);
    expect(server.requests.length - before).toBe(2);
  });

  it("honours Retry-After on a 429 (bounded by retryMaxMs)", async () => {
    const before = server.requests.length;
    responder = (_b, i) =>
      i === before ? providerError(429, "rate limited", { "retry-after-ms": "150" }) : completion({ content: "ok" });
    const started = Date.now();
    const answer = await call();
    expect(answer.text).toBe("ok");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("keeps retrying 5xx until the deadline, then fails with the provider's message", async () => {
    const before = server.requests.length;
    responder = () => providerError(503, "upstream overloaded: try later");
    const started = Date.now();
    const error = await call(700).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCallError);
    const e = error as ModelCallError;
    expect(e.failure).toBe("provider");
    expect(e.statusCode).toBe(503);
    expect(e.message).toContain("upstream overloaded: try later");
    expect(e.message).toContain("HTTP 503");
    expect(e.attempts).toBeGreaterThan(2);
    expect(server.requests.length - before).toBe(e.attempts);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("does not retry a 400: the provider's message is returned at once", async () => {
    const before = server.requests.length;
    responder = () => providerError(400, "bad request: unknown parameter");
    const e = (await call().catch((x: unknown) => x)) as ModelCallError;
    expect(e.failure).toBe("provider");
    expect(e.message).toContain("unknown parameter");
    expect(server.requests.length - before).toBe(1);
  });

  it("gives up at the deadline when the server is slower than the turn", async () => {
    responder = () => ({ ...completion({ content: "too late" }), delayMs: 2_000 });
    const started = Date.now();
    const e = (await call(300).catch((x: unknown) => x)) as ModelCallError;
    expect(e).toBeInstanceOf(ModelCallError);
    expect(e.failure).toBe("deadline");
    expect(e.message).toContain("did not answer before the turn deadline");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("reports an abort of the run's signal as aborted, not as a provider failure", async () => {
    responder = () => ({ ...completion({ content: "never" }), delayMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("hard cancel")), 100);
    const e = (await call(5_000, controller.signal).catch((x: unknown) => x)) as ModelCallError;
    expect(e.failure).toBe("aborted");
  });

  it("fails a broken JSON response with a message instead of crashing", async () => {
    responder = () => ({ status: 200, body: '{"id": "x", "choices": [ {"message": ' });
    const e = (await call().catch((x: unknown) => x)) as ModelCallError;
    expect(e).toBeInstanceOf(ModelCallError);
    expect(e.failure).toBe("provider");
    expect(e.message).toMatch(/invalid json|json/i);
  });

  it("returns malformed tool arguments and unknown tools as calls with a parse error", async () => {
    responder = () =>
      completion({
        toolCalls: [
          { name: "lookup_customer", arguments: '{"email": "ada@' },
          { name: "drop_database", arguments: { really: true } },
        ],
      });
    const answer = await call();
    expect(answer.toolCalls).toHaveLength(2);
    expect(answer.toolCalls[0]).toMatchObject({ toolName: "lookup_customer", input: '{"email": "ada@' });
    expect(answer.toolCalls[0]?.parseError).toBeTruthy();
    expect(answer.toolCalls[1]).toMatchObject({ toolName: "drop_database", input: { really: true } });
    expect(answer.toolCalls[1]?.parseError).toMatch(/drop_database/);
  });

  it("maps gateway names a provider refuses (mcp:<server>:<tool>) to provider-safe names and back", async () => {
    const before = server.requests.length;
    responder = () => completion({ toolCalls: [{ name: "mcp__loop__echo", arguments: { text: "again" } }] });
    const { model } = modelFor(endpoint(), "job");
    const echo = tool({
      description: "Echo",
      inputSchema: jsonSchema({ type: "object", properties: { text: { type: "string" } }, required: ["text"] }),
    });
    const answer = await callModel({
      model,
      endpoint: "loop",
      system: "You are a test.",
      messages: [
        { role: "user", content: "hello" },
        {
          role: "assistant",
          content: [{ type: "tool-call", toolCallId: "c1", toolName: "mcp:loop:echo", input: { text: "hi" } }],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "c1", toolName: "mcp:loop:echo", output: { type: "text", value: "hi" } },
          ],
        },
      ],
      tools: { ...tools, "mcp:loop:echo": echo },
      signal: new AbortController().signal,
      deadline: new Date(Date.now() + 5_000),
      retry: { baseMs: 20, maxMs: 200, random: () => 0.5 },
    });
    const request = server.requests[before];
    expect(request?.body.tools?.map((t) => t.function.name).sort()).toEqual(["lookup_customer", "mcp__loop__echo"]);
    expect(JSON.stringify(request?.body.messages)).not.toContain("mcp:loop:echo");
    expect(JSON.stringify(request?.body.messages)).toContain("mcp__loop__echo");
    expect(answer.toolCalls).toEqual([
      expect.objectContaining({ toolName: "mcp:loop:echo", input: { text: "again" } }),
    ]);
    expect(answer.toolCalls[0]?.parseError).toBeUndefined();
  });
});

describe("providerToolNames", () => {
  it("keeps provider-safe names, and gives others unique stand-ins that map back", () => {
    const names = providerToolNames(["http_fetch", "mcp:a:b", "mcp__a__b", `mcp:srv:${"x".repeat(100)}`, "mcp:a:b.c"]);
    expect(names.toProvider("http_fetch")).toBe("http_fetch");
    const aliases = ["mcp:a:b", `mcp:srv:${"x".repeat(100)}`, "mcp:a:b.c"].map((n) => names.toProvider(n));
    for (const alias of aliases) expect(alias).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set([...aliases, "mcp__a__b"]).size).toBe(4);
    expect(aliases.map((a) => names.fromProvider(a))).toEqual(["mcp:a:b", `mcp:srv:${"x".repeat(100)}`, "mcp:a:b.c"]);
    expect(names.fromProvider("unknown_tool")).toBe("unknown_tool");
  });
});
