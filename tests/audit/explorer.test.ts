import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "@/app/api/audit/route";
import * as facetsRoute from "@/app/api/audit/facets/route";
import * as exportRoute from "@/app/api/audit/export/route";
import * as lineageRoute from "@/app/api/runs/[id]/lineage/route";
import * as verifierKeyRoute from "@/app/api/audit/verifier-key/route";
import { sealBatch } from "@/lib/audit";
import { verifyBundleFile } from "@/lib/audit/export/verify-bundle";
import { resetEnvCache } from "@/lib/env";
import { invokeTool, registerBuiltinTools } from "@/lib/tools";
import { createApiToken } from "@/lib/tokens/create";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, newRun, scopeFor, testJob } from "../helpers/agent-fixtures";
import { serveRoutes, type TestServer } from "../auth/http";

const run = promisify(execFile);
let handle: TestDatabase;
let server: TestServer;
let reviewer: string;
let operator: string;
let lead: string;
let runId: string;
let dir: string;

const job = testJob({
  id: "explorer-job",
  agent: { model: "default", instructions: "t", tools: ["write_file", "state_set"], maxTurns: 4 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  resetEnvCache();
  dir = await mkdtemp(path.join(tmpdir(), "fd-explorer-"));
  server = await serveRoutes({
    "/api/audit": auditRoute,
    "/api/audit/facets": facetsRoute,
    "/api/audit/export": exportRoute,
    "/api/audit/verifier-key": verifierKeyRoute,
    "/api/runs/[id]/lineage": lineageRoute,
  });
  const system = { kind: "system" as const, id: "test", label: "test" };
  reviewer = (await createApiToken(handle.db, system, { name: "rev", role: "reviewer" })).token;
  operator = (await createApiToken(handle.db, system, { name: "op", role: "operator" })).token;
  lead = (await createApiToken(handle.db, system, { name: "lead", role: "lead" })).token;
  registerBuiltinTools();
  await installJobs(handle.db, [job]);
  runId = await newRun(handle.db, job.id);
  const scope = await scopeFor(handle.db, runId, job);
  await invokeTool(scope, {
    toolCallId: "c0",
    toolName: "write_file",
    input: { path: "notes/customer-ada.md", content: "hi" },
    turnIndex: 0,
    callIndex: 0,
  });
  await invokeTool(scope, {
    toolCallId: "c1",
    toolName: "state_set",
    input: { key: "ticket-42", value: 1 },
    turnIndex: 0,
    callIndex: 1,
  });
  await sealBatch(handle.db);
});
afterAll(async () => {
  await server.close();
  await handle.drop();
  await rm(dir, { recursive: true, force: true });
});

const get = (p: string, token: string) => fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
const q = (s: string) => encodeURIComponent(s);

describe("GET /api/audit?q=", () => {
  it("finds a run's events by a short id prefix, action prefix and free text", async () => {
    const res = await get(`/api/audit?q=${q(`run:${runId.slice(0, 6)} action:tool.*`)}`, reviewer);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { events: { action: string; payload: { tool: string } }[] };
    expect(page.events.map((e) => e.payload.tool)).toEqual(["state_set", "write_file"]);
    const text = (await (await get(`/api/audit?q=${q('"customer-ada"')}`, reviewer)).json()) as {
      events: { action: string }[];
    };
    expect(text.events.map((e) => e.action)).toEqual(["tool.called"]);
    const legacy = (await (await get(`/api/audit?action=run.created&q=${q(`job:${job.id}`)}`, reviewer)).json()) as {
      events: unknown[];
    };
    expect(legacy.events).toHaveLength(1);
  });

  it("answers 400 naming the failing token with the syntax, suggesting keys, refusing since > until", async () => {
    const bad = await get(`/api/audit?q=${q("acion:jane")}`, reviewer);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as {
      error: { message: string; token: string; suggestion: string; syntax: string };
    };
    expect(body.error.token).toBe("acion:jane");
    expect(body.error.suggestion).toBe("action:");
    expect(body.error.syntax).toContain("action:<action>");
    const range = await get(`/api/audit?q=${q("since:2026-11-30 until:2026-11-01")}`, reviewer);
    expect(range.status).toBe(400);
    expect(((await range.json()) as { error: { message: string } }).error.message).toMatch(/since .* is after until/);
  });

  it("counts facets by action, actor and run for the query", async () => {
    const facets = (await (await get(`/api/audit/facets?q=${q("action:tool.*")}`, reviewer)).json()) as {
      actions: { value: string; count: number }[];
      runs: { value: string; count: number }[];
      capped: boolean;
      textWindow: number | null;
    };
    expect([facets.capped, facets.textWindow]).toEqual([false, null]);
    expect(facets.actions).toEqual([{ value: "tool.called", label: "tool.called", count: 2 }]);
    expect(facets.runs).toEqual([{ value: runId, label: runId.slice(0, 8), count: 2 }]);
    // A word too short for the search index is counted by reading events' text, in a window the response names.
    const short = (await (await get(`/api/audit/facets?q=${q("action:tool.* ad")}`, reviewer)).json()) as {
      actions: { value: string; count: number }[];
      textWindow: number | null;
    };
    expect(short.textWindow).toBe(100_000);
    expect(short.actions.map((a) => a.value)).toEqual(["tool.called"]);
  });

  it("is for audit readers only; operators read a run's lineage (audit.read.run)", async () => {
    expect((await get("/api/audit", operator)).status).toBe(403);
    expect((await get(`/api/runs/${runId}/lineage`, operator)).status).toBe(200);
    expect((await get(`/api/audit/export?format=jsonl`, lead)).status).toBe(403);
  });
});

describe("GET /api/runs/{id}/lineage", () => {
  it("says who authorized the run and what each tool call touched, linked to sealed events", async () => {
    const res = await get(`/api/runs/${runId}/lineage`, reviewer);
    expect(res.status).toBe(200);
    const l = (await res.json()) as {
      declaration: { authorizedBy: string; owner: string; registryVersion: string; audit: { seq: number }[] };
      started: { trigger: string; by: { label: string }; audit: { action: string; seq: number }[] };
      toolCalls: {
        tool: string;
        outcome: string;
        authorization: { via: string; authorizedBy: string };
        touched: { files: string[]; stateKeys: string[] };
        audit: { seq: number }[];
      }[];
      touched: { files: string[]; stateKeys: string[] };
    };
    expect(l.declaration).toMatchObject({ authorizedBy: "jane.doe@acme.example", owner: "owner@acme.example" });
    expect(l.declaration.audit[0]?.seq).toBeGreaterThan(0);
    expect(l.started).toMatchObject({ trigger: "manual", by: { label: "tests" } });
    expect(l.started.audit[0]?.action).toBe("run.created");
    expect(l.toolCalls.map((c) => [c.tool, c.outcome, c.authorization.via, c.authorization.authorizedBy])).toEqual([
      ["write_file", "succeeded", "job-governance", "jane.doe@acme.example"],
      ["state_set", "succeeded", "job-governance", "jane.doe@acme.example"],
    ]);
    expect(l.touched).toMatchObject({ files: ["notes/customer-ada.md"], stateKeys: ["ticket-42"] });
    expect(l.toolCalls[0]?.audit[0]?.seq).toBeGreaterThan(0);
    expect((await get(`/api/runs/nope/lineage`, reviewer)).status).toBe(404);
  });
});

describe("GET /api/audit/export", () => {
  it("streams JSON Lines and CSV, and audits each export", async () => {
    const jsonl = await get(`/api/audit/export?format=jsonl&q=${q(`run:${runId}`)}`, reviewer);
    expect(jsonl.status).toBe(200);
    const lines = (await jsonl.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string });
    expect(lines.map((l) => l.action)).toEqual(["run.created", "tool.called", "tool.called"]);
    const csv = await get(`/api/audit/export?format=csv&q=${q("action:tool.called")}`, reviewer);
    const rows = (await csv.text()).trim().split("\r\n");
    expect(rows[0]).toBe(
      "id,seq,ts,actor_kind,actor_id,actor_label,action,subject_type,subject_id,authorization,payload",
    );
    expect(rows).toHaveLength(3);
    const audited = (await (await get(`/api/audit?q=${q("action:audit.exported")}`, reviewer)).json()) as {
      events: { payload: { format: string } }[];
    };
    expect(audited.events.map((e) => e.payload.format)).toEqual(["csv", "jsonl"]);
    expect((await get(`/api/audit/export?format=zip`, reviewer)).status).toBe(400);
  });

  it("exports a bundle the offline verifier accepts, and refuses a tampered one naming the event", async () => {
    const res = await get(`/api/audit/export?format=bundle&q=${q(`run:${runId}`)}`, reviewer);
    expect(res.status).toBe(200);
    const file = path.join(dir, "bundle.jsonl");
    await writeFile(file, await res.text());
    const key = (await (await get("/api/audit/verifier-key", reviewer)).text()).trim();
    const ok = await verifyBundleFile(file, key);
    expect(ok).toMatchObject({ ok: true, events: 3, keyPinned: true, problem: null });

    const lines = (await readFile(file, "utf8")).split("\n");
    const at = lines.findIndex((l) => l.includes('"tool":"write_file"'));
    const rec = JSON.parse(lines[at] as string) as { seq: number; event: { payload: { input: { path: string } } } };
    rec.event.payload.input.path = "notes/innocent.md";
    lines[at] = JSON.stringify(rec);
    const tampered = path.join(dir, "tampered.jsonl");
    await writeFile(tampered, lines.join("\n"));
    const refused = await verifyBundleFile(tampered, key);
    expect(refused).toMatchObject({ ok: false, badSeq: rec.seq });
    expect(refused.problem).toMatch(new RegExp(`event seq ${rec.seq} was altered`));

    // The npm script: no database, exit code 1 on a tampered bundle.
    const cli = await run(
      "npx",
      ["tsx", "--conditions=react-server", "server/audit-verify-bundle.ts", file, "--key", key],
      { env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" } },
    );
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, events: 3 });
    const refusedCli = await run(
      "npx",
      ["tsx", "--conditions=react-server", "server/audit-verify-bundle.ts", tampered],
      { env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect("code" in refusedCli ? refusedCli.code : 0).toBe(1);
    expect("stderr" in refusedCli ? refusedCli.stderr : "").toContain(`event seq ${rec.seq} was altered`);
  }, 60_000);
});
