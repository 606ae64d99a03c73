import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, resetEnvCache } from "@/lib/env";
import { callModel, modelFor, parseModelEndpoints } from "@/lib/models";
import { toolRedactor } from "@/lib/tools";

/** Endpoint configuration from the environment (docs/MODELS.md). */
const env = (vars: Record<string, string>) => parseEnv(vars);

describe("model endpoint configuration", () => {
  it("falls back to the simulated model when nothing is configured", () => {
    const endpoints = parseModelEndpoints(env({}));
    expect(endpoints.get("default")).toMatchObject({ provider: "simulated" });
    expect(endpoints.get("simulated")).toMatchObject({ provider: "simulated" });
  });

  it("makes the default endpoint openai-compatible from the three FLIGHTDECK_MODEL_* variables", () => {
    const endpoints = parseModelEndpoints(
      env({
        FLIGHTDECK_MODEL_BASE_URL: "http://127.0.0.1:11434/v1",
        FLIGHTDECK_MODEL_ID: "llama3.2",
        FLIGHTDECK_MODEL_API_KEY: "ollama",
      }),
    );
    expect(endpoints.get("default")).toMatchObject({
      provider: "openai-compatible",
      baseUrl: "http://127.0.0.1:11434/v1",
      model: "llama3.2",
      maxConcurrency: 4,
    });
  });

  it("names the missing variable", () => {
    expect(() => parseModelEndpoints(env({ FLIGHTDECK_MODEL_BASE_URL: "http://127.0.0.1:1/v1" }))).toThrow(
      /FLIGHTDECK_MODEL_ID/,
    );
    expect(() =>
      parseModelEndpoints(env({ FLIGHTDECK_MODEL_PROVIDER: "openai-compatible", FLIGHTDECK_MODEL_ID: "x" })),
    ).toThrow(/FLIGHTDECK_MODEL_BASE_URL/);
    expect(() =>
      parseModelEndpoints(env({ FLIGHTDECK_MODEL_PROVIDER: "anthropic", FLIGHTDECK_MODEL_ID: "claude" })),
    ).toThrow(/FLIGHTDECK_MODEL_API_KEY/);
  });

  it("redacts API keys configured inline for further endpoints", () => {
    process.env.FLIGHTDECK_MODEL_ENDPOINTS = JSON.stringify({
      lab: { provider: "openai-compatible", baseUrl: "http://10.0.0.1/v1", model: "m", apiKey: "lab-plain-key-7731" },
    });
    resetEnvCache();
    try {
      expect(toolRedactor().redactString("calling with lab-plain-key-7731")).toBe("calling with [REDACTED]");
    } finally {
      delete process.env.FLIGHTDECK_MODEL_ENDPOINTS;
      resetEnvCache();
    }
  });

  it("reads further endpoints and their limits from FLIGHTDECK_MODEL_ENDPOINTS, validated", () => {
    const endpoints = parseModelEndpoints(
      env({
        FLIGHTDECK_MODEL_ENDPOINTS: JSON.stringify({
          fast: {
            provider: "openai-compatible",
            baseUrl: "http://127.0.0.1:8000/v1",
            model: "qwen",
            maxConcurrency: 2,
          },
          claude: { provider: "anthropic", model: "claude-sonnet-4-5", apiKey: "sk-ant-0123456789", maxConcurrency: 8 },
        }),
      }),
    );
    expect(endpoints.get("fast")).toMatchObject({ maxConcurrency: 2, retryBaseMs: 500 });
    expect(endpoints.get("claude")).toMatchObject({ provider: "anthropic", maxConcurrency: 8 });
    const bad = (value: string) => () => parseModelEndpoints(env({ FLIGHTDECK_MODEL_ENDPOINTS: value }));
    expect(bad("{not json")).toThrow(EnvError);
    expect(bad(JSON.stringify({ x: { provider: "openai-compatible", model: "m" } }))).toThrow(/x\.baseUrl: required/);
    expect(bad(JSON.stringify({ x: { provider: "anthropic", model: "m", maxConcurrency: 0 } }))).toThrow(
      /x\.maxConcurrency/,
    );
    expect(bad(JSON.stringify({ x: { provider: "simulated", colour: "red" } }))).toThrow(/FLIGHTDECK_MODEL_ENDPOINTS/);
  });
});

describe("Anthropic endpoint", () => {
  it("goes through @ai-sdk/anthropic to the configured base URL", async () => {
    const seen: { path?: string; key?: string } = {};
    const server = createServer((req, res) => {
      seen.path = req.url;
      seen.key = String(req.headers["x-api-key"]);
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            id: "msg_1",
            type: "message",
            role: "assistant",
            model: "claude-test",
            content: [
              { type: "tool_use", id: "toolu_1", name: "lookup_customer", input: { email: "ada@lovelace.example" } },
            ],
            stop_reason: "tool_use",
            usage: { input_tokens: 33, output_tokens: 7 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const { model, label } = modelFor(
        {
          name: "claude",
          provider: "anthropic",
          baseUrl: `http://127.0.0.1:${port}/v1`,
          apiKey: "sk-ant-test-0123456789",
          model: "claude-test",
          maxConcurrency: 1,
          retryBaseMs: 10,
          retryMaxMs: 10,
        },
        "job",
      );
      expect(label).toBe("anthropic:claude-test");
      const { jsonSchema, tool } = await import("ai");
      const answer = await callModel({
        model,
        endpoint: "claude",
        system: "s",
        messages: [{ role: "user", content: "hi" }],
        tools: {
          lookup_customer: tool({
            description: "d",
            inputSchema: jsonSchema({ type: "object", properties: { email: { type: "string" } } }),
          }),
        },
        signal: new AbortController().signal,
        deadline: new Date(Date.now() + 5_000),
        retry: { baseMs: 10, maxMs: 10 },
      });
      expect(seen).toEqual({ path: "/v1/messages", key: "sk-ant-test-0123456789" });
      expect(answer.toolCalls).toEqual([
        expect.objectContaining({ toolName: "lookup_customer", input: { email: "ada@lovelace.example" } }),
      ]);
      expect(answer.usage).toEqual({ inputTokens: 33, outputTokens: 7 });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
