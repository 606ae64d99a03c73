import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgentExecutor } from "@/lib/agent";
import { resetEnvCache } from "@/lib/env";
import type { TurnContext, TurnResult } from "@/lib/runtime/turn-executor";
import { defineTool, registerTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, testJob } from "../helpers/agent-fixtures";
import {
  completion,
  providerError,
  startOpenAiLoopback,
  type Loopback,
  type Responder,
} from "../helpers/openai-loopback";

/**
 * The executor on the real provider path: AI SDK openai-compatible provider → HTTP on a
 * loopback server speaking chat-completions. Turns are driven here the way the runtime
 * does (history = every completed turn's messages).
 */
let handle: TestDatabase;
let server: Loopback;
let responder: Responder = () => completion({ content: "{}" });

const lookup = defineTool({
  name: "lookup_order",
  description: "Look up an order by id",
  input: z.strictObject({ orderId: z.string().regex(/^ord_\d+$/) }),
  sideEffect: "none",
  dataCategories: ["orders"],
  execute: async ({ orderId }) => ({ orderId, status: "shipped" }),
});
const job = testJob({
  id: "provider-path",
  agent: {
    model: "default",
    instructions: "You answer order questions.",
    tools: ["lookup_order", "write_file"],
    maxTurns: 6,
  },
});

beforeAll(async () => {
  server = await startOpenAiLoopback((body, i) => responder(body, i));
  process.env.FLIGHTDECK_MODEL_BASE_URL = server.baseUrl;
  process.env.FLIGHTDECK_MODEL_ID = "loop-model";
  process.env.FLIGHTDECK_MODEL_API_KEY = "sk-provider-path-test-0123456789";
  resetEnvCache();
  handle = await createTestDatabase();
  registerTools([lookup]);
  await installJobs(handle.db, [job]);
});
afterAll(async () => {
  for (const k of ["FLIGHTDECK_MODEL_BASE_URL", "FLIGHTDECK_MODEL_ID", "FLIGHTDECK_MODEL_API_KEY"])
    delete process.env[k];
  resetEnvCache();
  await server.close();
  await handle.drop();
});
beforeEach(() => {
  server.requests.length = 0;
});

const executor = createAgentExecutor({ retry: { baseMs: 10, maxMs: 80 } });

function context(runId: string, turnIndex: number, history: unknown[], deadlineMs = 10_000): TurnContext {
  return {
    runId,
    jobId: job.id,
    jobVersion: "v",
    turnIndex,
    attempt: 1,
    input: { question: "Where is ord_42?" },
    history,
    modelEndpoint: "default",
    signal: new AbortController().signal,
    leaseToken: "unused",
    deadline: new Date(Date.now() + deadlineMs),
  };
}

/** Runs turns until the outcome is not "continue", like the runtime's turn loop. */
async function drive(runId: string, maxTurns = 6): Promise<TurnResult[]> {
  const history: unknown[] = [];
  const results: TurnResult[] = [];
  for (let t = 0; t < maxTurns; t++) {
    const r = await executor.execute({
      ...context(runId, t, [...history]),
      leaseToken: undefined as unknown as string,
    });
    results.push(r);
    history.push(...r.messagesIn, ...r.messagesOut);
    if (r.outcome.kind !== "continue") break;
  }
  return results;
}

describe("agent executor on the OpenAI-compatible provider path", () => {
  it("runs tool calls the model asks for, feeds results back, and completes with the final JSON", async () => {
    responder = (body) => {
      const toolMessages = body.messages.filter((m) => m.role === "tool");
      if (toolMessages.length === 0) {
        return completion({
          content: "Checking.",
          toolCalls: [{ name: "lookup_order", arguments: { orderId: "ord_42" } }],
          usage: { prompt_tokens: 50, completion_tokens: 10 },
        });
      }
      return completion({
        content: '{"answer": "ord_42 has shipped"}',
        usage: { prompt_tokens: 80, completion_tokens: 12 },
      });
    };
    const runId = await newRun(handle.db, job.id);
    const [first, second] = await drive(runId);
    expect(first?.model).toBe("openai-compatible:loop-model");
    expect(first?.outcome).toEqual({ kind: "continue" });
    expect(first?.usage).toEqual({ inputTokens: 50, outputTokens: 10 });
    // The model call's wall-clock time travels with the result to the turn row (turns.model_ms).
    expect(first?.modelMs).toEqual(expect.any(Number));
    expect(first?.modelMs).toBeGreaterThanOrEqual(0);
    expect(first?.toolCalls).toEqual([
      expect.objectContaining({
        tool: "lookup_order",
        outcome: "succeeded",
        output: { orderId: "ord_42", status: "shipped" },
      }),
    ]);
    expect(second?.outcome).toEqual({ kind: "complete", output: { answer: "ord_42 has shipped" } });
    expect(second?.usage).toEqual({ inputTokens: 80, outputTokens: 12 });
    // The second request carried the system prompt, the run input, the call and its result.
    const sent = server.requests[1]?.body.messages ?? [];
    expect(sent[0]).toMatchObject({ role: "system", content: "You answer order questions." });
    expect(JSON.stringify(sent[1])).toContain("ord_42");
    expect(sent.find((m) => m.role === "tool")?.content).toContain("shipped");
    expect(server.requests[0]?.body.tools?.map((t) => t.function.name).sort()).toEqual(["lookup_order", "write_file"]);
  });

  it("retries a 429 inside the turn", async () => {
    responder = (_b, i) =>
      i === 0 ? providerError(429, "Rate limit reached") : completion({ content: '{"ok": true}' });
    const runId = await newRun(handle.db, job.id);
    const [only] = await drive(runId);
    expect(only?.outcome).toEqual({ kind: "complete", output: { ok: true } });
    expect(server.requests).toHaveLength(2);
  });

  it("fails the turn with the provider's message when 5xx persist until the deadline", async () => {
    responder = () => providerError(500, "The server had an error while processing your request");
    const runId = await newRun(handle.db, job.id);
    const r = await executor.execute(context(runId, 0, [], 600));
    expect(r.outcome).toMatchObject({ kind: "fail", reason: "model_error" });
    expect(r.outcome.kind === "fail" && r.outcome.message).toMatch(
      /HTTP 500 after \d+ attempts: The server had an error/,
    );
    expect(server.requests.length).toBeGreaterThan(2);
  });

  it("fails the turn at the deadline when the server is too slow", async () => {
    responder = () => ({ ...completion({ content: "late" }), delayMs: 3_000 });
    const runId = await newRun(handle.db, job.id);
    const started = Date.now();
    const r = await executor.execute(context(runId, 0, [], 400));
    expect(r.outcome).toMatchObject({ kind: "fail", reason: "model_deadline" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("fails the turn (not the process) on a broken JSON response", async () => {
    responder = () => ({ body: '{"choices": [{"message": {"content": "tru' });
    const runId = await newRun(handle.db, job.id);
    const r = await executor.execute(context(runId, 0, []));
    expect(r.outcome).toMatchObject({ kind: "fail", reason: "model_error" });
  });

  it("records a forbidden tool, a path outside the workspace and bad arguments as refusals, and carries on", async () => {
    responder = (body) => {
      const turn = body.messages.filter((m) => m.role === "assistant").length;
      if (turn === 0) {
        return completion({
          toolCalls: [
            { name: "delete_everything", arguments: {} },
            { name: "write_file", arguments: { path: "../../etc/cron.d/evil", content: "x" } },
            { name: "lookup_order", arguments: { orderId: 42 } },
            { name: "lookup_order", arguments: '{"orderId": "ord_' },
          ],
        });
      }
      return completion({ content: '{"answer": "recovered"}' });
    };
    const runId = await newRun(handle.db, job.id);
    const [first, second] = await drive(runId);
    expect(first?.outcome).toEqual({ kind: "continue" });
    expect(first?.toolCalls.map((c) => (c as { outcome: string }).outcome)).toEqual([
      "refused",
      "refused",
      "refused",
      "refused",
    ]);
    expect(second?.outcome).toEqual({ kind: "complete", output: { answer: "recovered" } });
    const fed = JSON.stringify(server.requests[1]?.body.messages.filter((m) => m.role === "tool"));
    expect(fed).toMatch(/not available to this job/);
    expect(fed).toMatch(/'\.\.' is not allowed/);
    expect(fed).toMatch(/invalid arguments for \\"lookup_order\\"/);
    expect(fed).toMatch(/could not be parsed/);
    expect(await auditFor(handle.db, runId, "tool.policy_violation")).toHaveLength(1);
    expect(await auditFor(handle.db, runId, "workspace.escape_refused")).toHaveLength(1);
    expect(await auditFor(handle.db, runId, "tool.invalid_input")).toHaveLength(2);
  });
});
