import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/db/schema";
import { addUser } from "@/tests/auth/fixtures";
import { createApiToken } from "@/lib/tokens";
import type { TestDatabase } from "@/tests/helpers/db";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import * as runsRoute from "@/app/api/runs/route";
import * as runRoute from "@/app/api/runs/[id]/route";
import * as controlRoute from "@/app/api/runs/[id]/[control]/route";
import * as approvalsRoute from "@/app/api/approvals/route";
import * as decisionRoute from "@/app/api/approvals/[id]/[decision]/route";
import { runtimeDatabase } from "./helpers";

let handle: TestDatabase;
let server: TestServer;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  handle = await runtimeDatabase();
  server = await serveRoutes({
    "/api/runs": runsRoute,
    "/api/runs/[id]": runRoute,
    "/api/runs/[id]/[control]": controlRoute,
    "/api/approvals": approvalsRoute,
    "/api/approvals/[id]/[decision]": decisionRoute,
  });
  // Each role's token belongs to a person of that role (approvals need a person).
  for (const role of ["reviewer", "operator", "lead"] as const) {
    const person = await addUser(handle.db, `api-${role}@example.com`, role);
    const owner = { kind: "user", id: person.id, label: person.email, role } as const;
    const created = await createApiToken(handle.db, owner, { name: `api-${role}`, role });
    tokens.set(role, created.token);
  }
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

async function call(method: string, path: string, role: Role | null, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = role ? tokens.get(role) : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies are asserted field by field below
  const json = (await response.json()) as any;
  return { status: response.status, json };
}

describe("POST /api/runs", () => {
  it("creates a manual run (201), validates input (400), knows its jobs (404) and its callers (401/403)", async () => {
    const created = await call("POST", "/api/runs", "operator", { jobId: "scripted", input: { turns: 2 } });
    expect(created).toMatchObject({ status: 201, json: { state: "queued" } });
    expect(typeof created.json.id).toBe("string");

    const bad = await call("POST", "/api/runs", "operator", { jobId: "scripted", input: { turns: "two" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("bad_request");
    expect(bad.json.error.issues[0].path).toEqual(["turns"]);
    expect((await call("POST", "/api/runs", "operator", { input: {} })).status).toBe(400);
    expect((await call("POST", "/api/runs", "operator", { jobId: "no-such-job" })).status).toBe(404);
    expect((await call("POST", "/api/runs", "reviewer", { jobId: "scripted" })).status).toBe(403);
    expect((await call("POST", "/api/runs", null, { jobId: "scripted" })).status).toBe(401);
  });

  it("refuses a job that declares no manual trigger with 409", async () => {
    const refused = await call("POST", "/api/runs", "operator", { jobId: "signal-only", input: { turns: 1 } });
    expect(refused).toMatchObject({
      status: 409,
      json: { error: { code: "conflict", message: 'Job "signal-only" does not declare a manual trigger' } },
    });
    const listed = await call("GET", "/api/runs?job=signal-only", "reviewer");
    expect(listed.json.runs).toEqual([]);
  });
});

describe("GET /api/runs and /api/runs/:id", () => {
  it("pages with a cursor, filters by state and job, and refuses bad filters", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await call("POST", "/api/runs", "operator", { jobId: "few-turns", input: {} })).json.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; json: { runs: { id: string; jobId: string }[]; nextCursor: string | null } } =
        await call("GET", `/api/runs?job=few-turns&limit=2${cursor ? `&cursor=${cursor}` : ""}`, "reviewer");
      expect(page.status).toBe(200);
      expect(page.json.runs.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.runs.map((r) => r.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    await call("POST", `/api/runs/${ids[0]}/pause`, "operator");
    const paused = await call("GET", "/api/runs?state=paused,failed&job=few-turns", "reviewer");
    expect(paused.json.runs.map((r: { id: string }) => r.id)).toEqual([ids[0]]);

    // A cursor the database would refuse (Feb 30th, year 0) is a 400 like any other bad one.
    const forged = (at: string) => Buffer.from(JSON.stringify([at, "x"])).toString("base64url");
    const badCursors = [
      "notacursor",
      forged("2024-02-30T00:00:00.000000Z"),
      forged("0000-01-01T00:00:00.000000Z"),
      forged("yesterday"),
    ];
    const badQueries = [
      "state=bogus",
      "state=queued,nope",
      "limit=201",
      "limit=0",
      "colour=red",
      ...badCursors.map((c) => `cursor=${c}`),
    ];
    for (const query of badQueries) {
      const answer = await call("GET", `/api/runs?${query}`, "reviewer");
      expect(answer.status, query).toBe(400);
      expect(answer.json.error.code).toBe("bad_request");
      expect(answer.json.error.issues.length, query).toBeGreaterThan(0);
    }
    expect((await call("GET", "/api/runs", null)).status).toBe(401);
  });

  it("answers one run with its turns and pending approvals, 404 for an unknown id", async () => {
    const { json } = await call("POST", "/api/runs", "operator", { jobId: "approve-first", input: {} });
    const detail = await call("GET", `/api/runs/${json.id}`, "reviewer");
    expect(detail.status).toBe(200);
    expect(detail.json.run).toMatchObject({
      id: json.id,
      jobId: "approve-first",
      state: "waiting",
      stateReason: "approval",
    });
    expect(detail.json.run.leaseToken).toBeUndefined();
    expect(detail.json.turns).toEqual([]);
    expect(detail.json.pendingApprovals).toHaveLength(1);
    expect((await call("GET", "/api/runs/00000000-0000-0000-0000-000000000000", "reviewer")).status).toBe(404);
  });
});

describe("POST /api/runs/:id/{pause,resume,cancel,retry}", () => {
  it("applies controls and answers 409 with the current state when a control does not fit", async () => {
    const { json } = await call("POST", "/api/runs", "operator", { jobId: "scripted", input: {} });
    const id = json.id as string;
    expect(await call("POST", `/api/runs/${id}/pause`, "operator")).toEqual({
      status: 200,
      json: { id, state: "paused" },
    });
    const again = await call("POST", `/api/runs/${id}/pause`, "operator");
    expect(again).toMatchObject({ status: 409, json: { error: { code: "conflict", state: "paused" } } });
    expect(again.json.error.message).toMatch(/paused/);
    expect((await call("POST", `/api/runs/${id}/resume`, "lead")).json.state).toBe("queued");
    expect((await call("POST", `/api/runs/${id}/retry`, "operator")).json.error).toMatchObject({
      code: "conflict",
      state: "queued",
    });
    expect((await call("POST", `/api/runs/${id}/cancel?hard=true`, "operator")).json).toEqual({
      id,
      state: "cancelled",
    });
    const retried = await call("POST", `/api/runs/${id}/retry`, "operator");
    expect(retried).toMatchObject({ status: 201, json: { state: "queued", retryOf: id } });
    expect((await call("POST", `/api/runs/${id}/explode`, "operator")).status).toBe(404);
    expect((await call("POST", `/api/runs/${id}/cancel?hard=maybe`, "operator")).status).toBe(400);
    expect((await call("POST", `/api/runs/${id}/pause`, "reviewer")).status).toBe(403);
    expect((await call("POST", "/api/runs/unknown-run/pause", "operator")).status).toBe(404);
  });
});

describe("approvals API", () => {
  it("lists pending approvals; a lead approves (operators may not); a decision is final", async () => {
    const { json } = await call("POST", "/api/runs", "operator", { jobId: "approve-first", input: { turns: 1 } });
    expect(json.state).toBe("waiting");
    const pending = await call("GET", "/api/approvals?status=pending", "reviewer");
    const approval = pending.json.approvals.find((a: { runId: string }) => a.runId === json.id);
    expect(approval).toMatchObject({ kind: "run", status: "pending", jobId: "approve-first", runState: "waiting" });

    expect((await call("POST", `/api/approvals/${approval.id}/approve`, "operator")).status).toBe(403);
    const decided = await call("POST", `/api/approvals/${approval.id}/approve`, "lead", { note: "ok" });
    expect(decided).toMatchObject({
      status: 200,
      json: { run: { id: json.id, state: "queued" }, approval: { status: "approved", note: "ok" } },
    });
    const twice = await call("POST", `/api/approvals/${approval.id}/reject`, "lead");
    expect(twice).toMatchObject({ status: 409, json: { error: { code: "conflict", status: "approved" } } });
    expect((await call("POST", `/api/approvals/${approval.id}/maybe`, "lead")).status).toBe(404);
    expect((await call("POST", "/api/approvals/nope/approve", "lead")).status).toBe(404);
    expect((await call("GET", "/api/approvals?status=whatever", "reviewer")).status).toBe(400);

    const other = await call("POST", "/api/runs", "operator", { jobId: "approve-first", input: {} });
    const list = await call("GET", "/api/approvals", "reviewer");
    const second = list.json.approvals.find((a: { runId: string }) => a.runId === other.json.id);
    const rejected = await call("POST", `/api/approvals/${second.id}/reject`, "lead");
    expect(rejected.json.run).toEqual({ id: other.json.id, state: "cancelled" });
  });
});
