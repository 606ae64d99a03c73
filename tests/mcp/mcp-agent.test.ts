import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentExecutor } from "@/lib/agent";
import { parseEnv, resetEnvCache } from "@/lib/env";
import { startMcpServers, type McpServers } from "@/lib/mcp";
import type { TurnResult } from "@/lib/runtime/turn-executor";
import { registerBuiltinTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, testJob } from "../helpers/agent-fixtures";
import { startLoopHttpServer, type LoopHttpServer } from "../helpers/mcp-loop-server";
import { completion, startOpenAiLoopback, type Loopback } from "../helpers/openai-loopback";

/**
 * A whole agent run on the provider path with MCP tools: the model (an OpenAI-compatible
 * loopback) sees provider-safe stand-ins for mcp:<server>:<tool>, its calls come back under
 * the gateway names, a server that went down gives an error result, and the run completes.
 */
let handle: TestDatabase;
let model: Loopback;
let loop: LoopHttpServer;
let gone: LoopHttpServer;
let mcp: McpServers;

const job = testJob({
  id: "mcp-agent",
  agent: {
    model: "default",
    instructions: "Use the MCP tools.",
    tools: ["mcp:loop:echo", "mcp:gone:echo"],
    maxTurns: 4,
  },
});

beforeAll(async () => {
  model = await startOpenAiLoopback((body) => {
    if (!body.messages.some((m) => m.role === "tool")) {
      return completion({
        toolCalls: [
          { name: "mcp__loop__echo", arguments: { text: "ping" } },
          { name: "mcp__gone__echo", arguments: { text: "anyone?" } },
        ],
      });
    }
    return completion({ content: '{"done": true}' });
  });
  process.env.FLIGHTDECK_MODEL_BASE_URL = model.baseUrl;
  process.env.FLIGHTDECK_MODEL_ID = "loop-model";
  process.env.FLIGHTDECK_MODEL_API_KEY = "sk-mcp-agent-test-0123456789";
  resetEnvCache();
  handle = await createTestDatabase();
  registerBuiltinTools();
  loop = await startLoopHttpServer();
  gone = await startLoopHttpServer();
  const servers = {
    loop: { url: loop.url, sideEffect: "none", dataCategories: ["workspace"] },
    gone: { url: gone.url, sideEffect: "none", dataCategories: ["workspace"] },
  };
  mcp = await startMcpServers({ env: parseEnv({ ...process.env, FLIGHTDECK_MCP_SERVERS: JSON.stringify(servers) }) });
  await installJobs(handle.db, [job]);
  // Discovered, then gone: its calls fail at the transport.
  await gone.close();
});
afterAll(async () => {
  for (const k of ["FLIGHTDECK_MODEL_BASE_URL", "FLIGHTDECK_MODEL_ID", "FLIGHTDECK_MODEL_API_KEY"])
    delete process.env[k];
  resetEnvCache();
  await mcp.close();
  await loop.close();
  await model.close();
  await handle.drop();
});

describe("an agent run with MCP tools", () => {
  it("maps names for the provider, records gateway names, and carries on past a down server", async () => {
    const executor = createAgentExecutor({ retry: { baseMs: 10, maxMs: 80 } });
    const runId = await newRun(handle.db, job.id);
    const history: unknown[] = [];
    const results: TurnResult[] = [];
    for (let turnIndex = 0; turnIndex < 4; turnIndex++) {
      const r = await executor.execute({
        runId,
        jobId: job.id,
        jobVersion: "v",
        turnIndex,
        attempt: 1,
        input: {},
        history: [...history],
        modelEndpoint: "default",
        signal: new AbortController().signal,
        leaseToken: undefined as unknown as string,
        deadline: new Date(Date.now() + 20_000),
      });
      results.push(r);
      history.push(...r.messagesIn, ...r.messagesOut);
      if (r.outcome.kind !== "continue") break;
    }
    const [first, second] = results;
    expect(model.requests[0]?.body.tools?.map((t) => t.function.name).sort()).toEqual([
      "mcp__gone__echo",
      "mcp__loop__echo",
    ]);
    expect(first?.toolCalls).toEqual([
      expect.objectContaining({ tool: "mcp:loop:echo", outcome: "succeeded", output: { text: "ping" } }),
      expect.objectContaining({ tool: "mcp:gone:echo", outcome: "failed" }),
    ]);
    expect(second?.outcome).toEqual({ kind: "complete", output: { done: true } });
    // Stored history and the audit hold gateway names; only the provider saw the stand-ins.
    expect(JSON.stringify(history)).not.toContain("mcp__");
    expect(JSON.stringify(model.requests[1]?.body.messages)).not.toContain("mcp:loop:echo");
    const called = await auditFor(handle.db, runId, "tool.called");
    expect(called.map((e) => (e.payload as { tool: string }).tool)).toEqual(["mcp:loop:echo", "mcp:gone:echo"]);
  });
});
