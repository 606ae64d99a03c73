import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv, resetEnvCache } from "@/lib/env";
import { listMcpServerStatus, parseMcpServers, startMcpServers, type McpServers } from "@/lib/mcp";
import { describeTools, getTool, invokeTool, registerBuiltinTools, type InvokeScope } from "@/lib/tools";
import { systemPrincipal } from "@/lib/audit";
import { createApiToken } from "@/lib/tokens";
import { serveRoutes } from "@/tests/auth/http";
import * as resourcesRoute from "@/app/api/resources/route";
import { jobDeclarationSchema } from "@/lib/jobs/schema";
import { parseToolQuotas } from "@/lib/resources/quotas";
import { jobDeclaration } from "../fixtures/jobs";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob, toolCallRow } from "../helpers/agent-fixtures";
import { startLoopHttpServer, type LoopHttpServer } from "../helpers/mcp-loop-server";

/**
 * MCP servers as gateway tools, against real MCP servers built with the official SDK: a
 * Streamable HTTP one on loopback, a stdio one (node --import tsx), one that is down from
 * the start and one that goes down after discovery. Every call is an invokeTool call, so
 * each passes the same stages as any other tool.
 */
let handle: TestDatabase;
let loop: LoopHttpServer;
let flaky: LoopHttpServer;
let mcp: McpServers;
const TOKEN = "loop-bearer-token-0123456789";

const tools = [
  "mcp:loop:echo",
  "mcp:loop:add",
  "mcp:loop:fail",
  "mcp:loop:slow",
  "mcp:down:echo",
  "mcp:flaky:echo",
  "mcp:stdio:echo",
];
const job = testJob({ id: "mcp-user", agent: { model: "default", instructions: "t", tools, maxTurns: 5 } });
const gatedJob = testJob({
  id: "mcp-gated",
  agent: { model: "default", instructions: "t", tools: ["mcp:gated:echo"], maxTurns: 5 },
  governance: { ...job.governance, humanOversight: "approve-tools" },
});

async function closedPort(): Promise<number> {
  const probe = await startLoopHttpServer();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  return port;
}

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  loop = await startLoopHttpServer();
  flaky = await startLoopHttpServer();
  process.env.MCP_LOOP_TOKEN = TOKEN;
  resetEnvCache();
  const servers = {
    loop: {
      url: loop.url,
      headers: { Authorization: { env: "MCP_LOOP_TOKEN", prefix: "Bearer " } },
      sideEffect: "none",
      dataCategories: ["workspace"],
      tools: { slow: { timeoutMs: 300 } },
    },
    // No sideEffect: unknown means external, so an approve-tools job waits for a lead.
    gated: { url: loop.url, dataCategories: ["workspace"] },
    flaky: { url: flaky.url, sideEffect: "none", dataCategories: ["workspace"] },
    down: { url: `http://127.0.0.1:${await closedPort()}/mcp`, dataCategories: [], connectTimeoutMs: 1_000 },
    stdio: {
      command: process.execPath,
      args: ["--import", "tsx", path.resolve(import.meta.dirname, "../helpers/mcp-loop-stdio.ts")],
      sideEffect: "none",
      dataCategories: ["workspace"],
      connectTimeoutMs: 30_000,
    },
  };
  const env = parseEnv({ ...process.env, FLIGHTDECK_MCP_SERVERS: JSON.stringify(servers) });
  mcp = await startMcpServers({ env, retryIntervalMs: 60_000 });
  await installJobs(handle.db, [job, gatedJob]);
});
afterAll(async () => {
  await mcp.close();
  await loop.close();
  await flaky.close();
  await handle.drop();
});

let n = 0;
const call = (toolName: string, input: unknown) => ({
  toolCallId: `c${n}`,
  toolName,
  input,
  turnIndex: 0,
  callIndex: n++,
});

async function scope(): Promise<InvokeScope> {
  const runId = await newRun(handle.db, job.id);
  return scopeFor(handle.db, runId, job);
}

describe("discovery", () => {
  it("names the tools mcp:<server>:<tool>, with the server's JSON Schema for the model", () => {
    const status = Object.fromEntries(listMcpServerStatus().map((s) => [s.name, s]));
    expect(status.loop).toMatchObject({
      state: "connected",
      transport: "http",
      lastError: null,
      tools: ["mcp:loop:add", "mcp:loop:echo", "mcp:loop:fail", "mcp:loop:slow"],
    });
    expect(status.stdio).toMatchObject({ state: "connected", transport: "stdio" });
    // Every role reads the status: the program without its arguments, the URL without its query.
    expect(status.stdio?.target).toMatch(/^\S+ \(\+3 args\)$/);
    expect(status.stdio?.target).not.toContain("mcp-loop-stdio");
    expect(status.loop?.target).toBe(new URL(loop.url).origin + new URL(loop.url).pathname);
    expect(status.stdio?.tools).toContain("mcp:stdio:echo");
    expect(getTool("mcp:loop:echo")).toMatchObject({ sideEffect: "none", dataCategories: ["workspace"] });
    expect(getTool("mcp:gated:echo")?.sideEffect).toBe("external");
    expect(getTool("mcp:loop:slow")?.timeoutMs).toBe(300);
    const described = describeTools(["mcp:loop:echo"]);
    expect(Object.keys(described)).toEqual(["mcp:loop:echo"]);
    // The configured header went out, read from the environment.
    expect(loop.authorizations).toContain(`Bearer ${TOKEN}`);
  });

  it("skips a tool whose input schema cannot be used, with the reason in the status", () => {
    const status = listMcpServerStatus().find((s) => s.name === "loop");
    expect(getTool("mcp:loop:broken")).toBeUndefined();
    expect(status?.skipped).toEqual([
      { tool: "broken", reason: expect.stringMatching(/input schema cannot be used for validation/) },
    ]);
  });

  it("shows a server that is down with its error, and starts anyway", () => {
    const down = listMcpServerStatus().find((s) => s.name === "down");
    expect(down).toMatchObject({ state: "down", tools: [] });
    expect(down?.lastError).toBeTruthy();
    expect(getTool("mcp:down:echo")).toBeUndefined();
  });
});

describe("calls through the gateway", () => {
  it("calls an allowlisted MCP tool and audits the call under its gateway name", async () => {
    const s = await scope();
    const before = loop.calls.length;
    const record = await invokeTool(s, call("mcp:loop:echo", { text: "hello over MCP" }));
    expect(record).toMatchObject({ outcome: "succeeded", output: { text: "hello over MCP" }, tool: "mcp:loop:echo" });
    expect(loop.calls.slice(before)).toEqual([
      { name: "echo", arguments: { text: "hello over MCP" }, meta: { "dev.flightdeck/callKey": record.key } },
    ]);
    const [event] = await auditFor(handle.db, s.runId, "tool.called");
    expect(event?.payload).toMatchObject({
      tool: "mcp:loop:echo",
      outcome: "succeeded",
      sideEffect: "none",
      dataCategories: ["workspace"],
    });
    const sum = await invokeTool(s, call("mcp:loop:add", { a: 2, b: 40 }));
    expect(sum).toMatchObject({ outcome: "succeeded", output: { sum: 42 } });
  });

  it("replays a stored result for the same call instead of calling the server again", async () => {
    const s = await scope();
    const request = call("mcp:loop:echo", { text: "once" });
    await invokeTool(s, request);
    const before = loop.calls.length;
    const again = await invokeTool(s, request);
    expect(again).toMatchObject({ outcome: "succeeded", replayed: true });
    expect(loop.calls.length).toBe(before);
  });

  it("calls a stdio server's tool", async () => {
    const record = await invokeTool(await scope(), call("mcp:stdio:echo", { text: "over stdio" }));
    expect(record).toMatchObject({ outcome: "succeeded", output: { text: "over stdio" } });
  });

  it("refuses a tool the job does not allowlist, without reaching the server", async () => {
    const s = await scope();
    const before = loop.calls.length;
    const record = await invokeTool(s, call("mcp:gated:echo", { text: "not mine" }));
    expect(record.outcome).toBe("refused");
    expect(record.error).toMatch(/not in the job's tool allowlist/);
    expect(loop.calls.length).toBe(before);
    expect(await auditFor(handle.db, s.runId, "tool.policy_violation")).toHaveLength(1);
  });

  it("refuses invalid input at the validation stage, before the server", async () => {
    const s = await scope();
    const before = loop.calls.length;
    const wrongType = await invokeTool(s, call("mcp:loop:echo", { text: 42 }));
    const extra = await invokeTool(s, call("mcp:loop:echo", { text: "hi", shout: true }));
    const missing = await invokeTool(s, call("mcp:loop:add", { a: 1 }));
    for (const record of [wrongType, extra, missing]) {
      expect(record.outcome).toBe("refused");
      expect(record.error).toMatch(/invalid arguments for "mcp:loop:/);
    }
    expect(loop.calls.length).toBe(before);
    expect(await auditFor(handle.db, s.runId, "tool.invalid_input")).toHaveLength(3);
  });

  it("parks an external tool of an approve-tools job for approval, without calling the server", async () => {
    const runId = await newRun(handle.db, gatedJob.id);
    const s = await scopeFor(handle.db, runId, gatedJob);
    const before = loop.calls.length;
    const record = await invokeTool(s, call("mcp:gated:echo", { text: "may I?" }));
    expect(record.outcome).toBe("awaiting_approval");
    expect(record.approvalId).toBeTruthy();
    expect(loop.calls.length).toBe(before);
    expect(await auditFor(handle.db, record.approvalId ?? "", "approval.requested")).toHaveLength(1);
  });

  it("gives the model the server's message when the tool answers isError", async () => {
    const record = await invokeTool(await scope(), call("mcp:loop:fail", {}));
    expect(record).toMatchObject({ outcome: "failed", error: "the loop server refuses this on purpose" });
  });

  it("times a slow tool out with an error result, and the next call works", async () => {
    const s = await scope();
    const started = Date.now();
    const record = await invokeTool(s, call("mcp:loop:slow", { ms: 5_000 }));
    expect(record.outcome).toBe("failed");
    expect(record.error).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
    const next = await invokeTool(s, call("mcp:loop:echo", { text: "still here" }));
    expect(next.outcome).toBe("succeeded");
  });

  it("answers a call to a server that was down at start-up as no such tool", async () => {
    const record = await invokeTool(await scope(), call("mcp:down:echo", { text: "anyone?" }));
    expect(record.outcome).toBe("refused");
    expect(record.error).toMatch(/no such tool/);
  });

  it("gives an error result when the server went down after discovery; the run's next call works", async () => {
    const s = await scope();
    expect((await invokeTool(s, call("mcp:flaky:echo", { text: "up" }))).outcome).toBe("succeeded");
    await flaky.close();
    const request = call("mcp:flaky:echo", { text: "down" });
    const record = await invokeTool(s, request);
    expect(record.outcome).toBe("failed");
    expect(record.error).toBeTruthy();
    expect((await toolCallRow(handle.db, record.key))?.status).toBe("failed");
    expect(listMcpServerStatus().find((x) => x.name === "flaky")?.state).toBe("down");
    const next = await invokeTool(s, call("mcp:loop:echo", { text: "carry on" }));
    expect(next.outcome).toBe("succeeded");
    // Back on the same address: the next call reconnects, and the status says so.
    flaky = await startLoopHttpServer(Number(new URL(flaky.url).port));
    const back = await invokeTool(s, call("mcp:flaky:echo", { text: "back" }));
    expect(back).toMatchObject({ outcome: "succeeded", output: { text: "back" } });
    expect(listMcpServerStatus().find((x) => x.name === "flaky")).toMatchObject({
      state: "connected",
      lastError: null,
    });
  });

  it("never stores the configured secret", async () => {
    const s = await scope();
    await invokeTool(s, call("mcp:loop:echo", { text: `token is ${TOKEN}` }));
    const events = await auditFor(handle.db, s.runId, "tool.called");
    expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(TOKEN);
  });
});

describe("GET /api/resources", () => {
  it("shows the MCP servers' status to a reader, and nothing to the anonymous", async () => {
    const server = await serveRoutes({ "/api/resources": resourcesRoute });
    try {
      const { token } = await createApiToken(handle.db, systemPrincipal("tests"), {
        name: "mcp-reviewer",
        role: "reviewer",
      });
      const anonymous = await fetch(`${server.url}/api/resources`);
      expect(anonymous.status).toBe(401);
      const response = await fetch(`${server.url}/api/resources`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { mcpServers: { name: string; state: string; skipped: unknown[] }[] };
      expect(body.mcpServers.map((s) => s.name)).toEqual(["down", "flaky", "gated", "loop", "stdio"]);
      expect(body.mcpServers.find((s) => s.name === "loop")).toMatchObject({
        state: "connected",
        skipped: [{ tool: "broken" }],
      });
      expect(JSON.stringify(body)).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });
});

describe("tool names with ':'", () => {
  it("are accepted in job allowlists and tool quotas, and nothing else with ':' is", () => {
    const allow = (tools: string[]) =>
      jobDeclarationSchema.safeParse(
        jobDeclaration({ agent: { model: "default", instructions: "t", tools, maxTurns: 2 } }),
      );
    expect(allow(["mcp:loop:echo", "mcp:fs-2:read_text_file", "http_fetch"]).success).toBe(true);
    for (const bad of ["mcp:Loop:echo", "mcp:loop", "other:loop:echo", "mcp:loop:has space"]) {
      expect(allow([bad]).success, bad).toBe(false);
    }
    const quotas = parseToolQuotas(
      parseEnv({ ...process.env, FLIGHTDECK_TOOL_QUOTAS: '{"mcp:loop:echo":{"callsPerMinute":5}}' }),
    );
    expect(quotas).toEqual([
      { tool: "mcp:loop:echo", resource: "tool:mcp:loop:echo", callsPerMinute: 5, perKey: false },
    ]);
  });
});

describe("configuration", () => {
  it("throws naming the server and the field", () => {
    const bad = (servers: unknown) => () => parseMcpServers("FLIGHTDECK_MCP_SERVERS", JSON.stringify(servers));
    expect(bad({ files: { command: "npx", sideEffect: "sometimes", dataCategories: [] } })).toThrow(
      /FLIGHTDECK_MCP_SERVERS: files\.sideEffect:/,
    );
    expect(bad({ web: { url: "ftp://example.com", dataCategories: [] } })).toThrow(/web\.url: must be an http/);
    expect(bad({ both: { command: "x", url: "http://a.example", dataCategories: [] } })).toThrow(
      /both\.url: give either/,
    );
    expect(bad({ nocats: { command: "x" } })).toThrow(/nocats\.dataCategories/);
    expect(bad({ "Bad:Name": { command: "x", dataCategories: [] } })).toThrow(/server names are lower-case/);
    expect(bad({ t: { command: "x", dataCategories: [], tools: { echo: { timeoutMs: 5 } } } })).toThrow(
      /t\.tools\.echo\.timeoutMs/,
    );
    expect(
      bad({
        h: { url: "http://a.example", dataCategories: [], headers: { Authorization: { env: "MCP_UNSET_VAR_X" } } },
      }),
    ).toThrow(/h\.headers\.Authorization: environment variable MCP_UNSET_VAR_X is not set/);
    expect(bad({ t: { command: "x", dataCategories: [], tools: { "no spaces": {} } } })).toThrow(
      /t\.tools\.no spaces: must be an MCP tool name/,
    );
    expect(() => parseMcpServers("FLIGHTDECK_MCP_SERVERS", "{not json")).toThrow(EnvError);
  });
});
