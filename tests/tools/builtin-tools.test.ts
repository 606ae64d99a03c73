import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications, runState } from "@/db/schema";
import { hostAllowed, invokeTool, registerBuiltinTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob } from "../helpers/agent-fixtures";

/** http_fetch, notify and state_get/state_set through the wrapper, on a real database and loopback HTTP. */
let handle: TestDatabase;
let server: Server;
let port = 0;
let connections = 0;

const tools = ["http_fetch", "notify", "state_get", "state_set"];
const job = testJob({
  id: "builtin-tools",
  agent: { model: "default", instructions: "t", tools, maxTurns: 5, httpAllowlist: ["127.0.0.1"] },
});
const closed = testJob({ id: "builtin-no-http", agent: { model: "default", instructions: "t", tools, maxTurns: 5 } });

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  await installJobs(handle.db, [job, closed]);
  server = createServer((req, res) => {
    if (req.url === "/hello") return res.writeHead(200, { "content-type": "text/plain" }).end("hello from loopback");
    if (req.url === "/big") return res.writeHead(200).end("y".repeat(100_000));
    if (req.url === "/redirect-out") return res.writeHead(302, { location: "http://localhost:9/elsewhere" }).end();
    if (req.url === "/redirect-in") return res.writeHead(302, { location: "/hello" }).end();
    if (req.url === "/slow") return setTimeout(() => res.writeHead(200).end("late"), 3_000);
    res.writeHead(404).end();
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await handle.drop();
});

let callIndex = 0;
const call = (toolName: string, input: unknown) => ({
  toolCallId: `c${callIndex}`,
  toolName,
  input,
  turnIndex: 0,
  callIndex: callIndex++,
});

describe("http_fetch", () => {
  it("fetches from an allowlisted host and caps the body", async () => {
    const runId = await newRun(handle.db, job.id);
    const scope = await scopeFor(handle.db, runId, job, { maxOutputBytes: 2_000 });
    const ok = await invokeTool(scope, call("http_fetch", { url: `http://127.0.0.1:${port}/hello` }));
    expect(ok).toMatchObject({
      outcome: "succeeded",
      output: { status: 200, body: "hello from loopback", truncated: false },
    });
    const bigOne = await invokeTool(scope, call("http_fetch", { url: `http://127.0.0.1:${port}/big` }));
    expect(bigOne.outcome).toBe("succeeded");
    expect(JSON.stringify(bigOne.output)).toMatch(/truncated/);
    const followed = await invokeTool(scope, call("http_fetch", { url: `http://127.0.0.1:${port}/redirect-in` }));
    expect(followed).toMatchObject({ outcome: "succeeded", output: { body: "hello from loopback" } });
  });

  it("refuses other hosts before connecting, including a redirect hop, and audits each refusal", async () => {
    const runId = await newRun(handle.db, closed.id);
    const scope = await scopeFor(handle.db, runId, closed);
    const before = connections;
    const r = await invokeTool(scope, call("http_fetch", { url: `http://127.0.0.1:${port}/hello` }));
    expect(r.outcome).toBe("refused");
    expect(r.error).toMatch(/not in this job's HTTP allowlist \(empty\)/);
    expect(connections).toBe(before);
    const scheme = await invokeTool(scope, call("http_fetch", { url: "file:///etc/passwd" }));
    expect(scheme.error).toMatch(/only http and https/);

    const openRun = await newRun(handle.db, job.id);
    const redirect = await invokeTool(
      await scopeFor(handle.db, openRun, job),
      call("http_fetch", { url: `http://127.0.0.1:${port}/redirect-out` }),
    );
    expect(redirect.outcome).toBe("refused");
    expect(redirect.error).toMatch(/host localhost:9 is not in this job's HTTP allowlist/);
    const events = [
      ...(await auditFor(handle.db, runId, "http.refused")),
      ...(await auditFor(handle.db, openRun, "http.refused")),
    ];
    expect(events.map((e) => e.payload.reason)).toEqual(["host not allowlisted", "scheme", "host not allowlisted"]);
  });

  it("times out a slow server", async () => {
    const runId = await newRun(handle.db, job.id);
    const r = await invokeTool(
      await scopeFor(handle.db, runId, job, { toolTimeoutMs: 200 }),
      call("http_fetch", { url: `http://127.0.0.1:${port}/slow` }),
    );
    expect(r.outcome).toBe("failed");
    expect(r.error).toMatch(/timed out after 200 ms/);
  });

  it("matches allowlist entries by host, port and wildcard", () => {
    const u = (s: string) => new URL(s);
    expect(hostAllowed(u("https://api.example.com/x"), ["api.example.com"])).toBe(true);
    expect(hostAllowed(u("https://API.example.com./x"), ["api.example.com"])).toBe(true);
    expect(hostAllowed(u("https://api.example.com.evil.test/"), ["api.example.com"])).toBe(false);
    expect(hostAllowed(u("https://evilapi.example.com/"), ["*.example.com"])).toBe(true);
    expect(hostAllowed(u("https://example.com/"), ["*.example.com"])).toBe(false);
    expect(hostAllowed(u("https://notexample.com/"), ["*.example.com"])).toBe(false);
    expect(hostAllowed(u("http://127.0.0.1:8080/"), ["127.0.0.1:8080"])).toBe(true);
    expect(hostAllowed(u("http://127.0.0.1:8081/"), ["127.0.0.1:8080"])).toBe(false);
    expect(hostAllowed(u("https://api.example.com/"), [])).toBe(false);
  });
});

describe("notify", () => {
  it("stores a message for operators on the run", async () => {
    const runId = await newRun(handle.db, job.id);
    const r = await invokeTool(
      await scopeFor(handle.db, runId, job),
      call("notify", { title: "3 tickets past SLA", message: "tkt_1, tkt_2, tkt_3", level: "warning" }),
    );
    expect(r.outcome).toBe("succeeded");
    const rows = await handle.db.select().from(notifications).where(eq(notifications.runId, runId));
    expect(rows).toEqual([expect.objectContaining({ title: "3 tickets past SLA", level: "warning", jobId: job.id })]);
  });
});

describe("state_get / state_set", () => {
  it("keeps each run's keys to itself", async () => {
    const a = await newRun(handle.db, job.id);
    const b = await newRun(handle.db, job.id);
    const sa = await scopeFor(handle.db, a, job);
    const sb = await scopeFor(handle.db, b, job);
    expect((await invokeTool(sa, call("state_set", { key: "progress", value: { step: 3 } }))).outcome).toBe(
      "succeeded",
    );
    expect((await invokeTool(sb, call("state_set", { key: "progress", value: "b's own" }))).outcome).toBe("succeeded");
    expect((await invokeTool(sa, call("state_get", { key: "progress" }))).output).toEqual({
      key: "progress",
      found: true,
      value: { step: 3 },
    });
    expect((await invokeTool(sb, call("state_get", { key: "progress" }))).output).toEqual({
      key: "progress",
      found: true,
      value: "b's own",
    });
    expect((await invokeTool(sb, call("state_get", { key: "other" }))).output).toEqual({
      key: "other",
      found: false,
      value: null,
    });
    const bad = await invokeTool(sa, call("state_set", { key: "../b/progress", value: 1 }));
    expect(bad.outcome).toBe("refused");
  });

  it("never stores a secret in the run's state", async () => {
    const runId = await newRun(handle.db, job.id);
    const scope = await scopeFor(handle.db, runId, job);
    const key = "sk-live-0123456789abcdefghijklmnop";
    const set = await invokeTool(
      scope,
      call("state_set", { key: "creds", value: { note: `use ${key}`, password: "hunter2-hunter2" } }),
    );
    expect(set.outcome).toBe("succeeded");
    const [row] = await handle.db
      .select()
      .from(runState)
      .where(and(eq(runState.runId, runId), eq(runState.key, "creds")));
    expect(JSON.stringify(row?.value)).not.toContain(key);
    expect(row?.value).toEqual({ note: "use [REDACTED]", password: "[REDACTED]" });
  });
});
