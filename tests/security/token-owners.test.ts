import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, user } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { loadJobRegistry } from "@/lib/jobs";
import { addUser, auditOf, signInRequest } from "@/tests/auth/fixtures";
import { cookieHeader, serveRoutes, type TestServer } from "@/tests/auth/http";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { runtimeTestJobs } from "@/tests/runtime/fixtures/jobs";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as tokensRoute from "@/app/api/tokens/route";
import * as usersRoute from "@/app/api/users/route";
import * as userRoute from "@/app/api/users/[id]/route";
import * as runsRoute from "@/app/api/runs/route";
import * as approvalsRoute from "@/app/api/approvals/route";
import * as decisionRoute from "@/app/api/approvals/[id]/[decision]/route";

const bootstrap = "bootstrap-admin-token-for-owner-tests-0123";
const password = "correct horse battery";
let handle: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadJobRegistry(handle.db, runtimeTestJobs);
  server = await serveRoutes({
    "/api/auth/[...all]": authRoute,
    "/api/tokens": tokensRoute,
    "/api/users": usersRoute,
    "/api/users/[id]": userRoute,
    "/api/runs": runsRoute,
    "/api/approvals": approvalsRoute,
    "/api/approvals/[id]/[decision]": decisionRoute,
  });
  Object.assign(process.env, {
    PORT: String(server.port),
    FLIGHTDECK_ADMIN_TOKEN: bootstrap,
    FLIGHTDECK_LOGIN_MAX_ATTEMPTS: "50",
  });
  resetEnvCache();
});
afterAll(async () => {
  delete process.env.FLIGHTDECK_ADMIN_TOKEN;
  resetEnvCache();
  await server.close();
  await handle.drop();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string; reason?: string } };

async function call(method: string, path: string, auth: { token?: string; cookie?: string }, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: server.url };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

async function session(email: string): Promise<string> {
  const response = await signInRequest(server, email, password);
  expect(response.status).toBe(200);
  return cookieHeader(response);
}

describe("tokens belong to people; service tokens to nobody", () => {
  it("a person's token acts as them, never above their current role, and dies when they are disabled or deleted", async () => {
    const ada = await addUser(handle.db, "ada@example.com", "admin", password);
    await addUser(handle.db, "root@example.com", "admin", password);
    const cookie = await session("ada@example.com");
    const created = await call("POST", "/api/tokens", { cookie }, { name: "ada-laptop", role: "admin" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ kind: "user", ownerUserId: ada.id });
    const token = String(created.json.token);
    expect((await call("GET", "/api/users", { token })).status).toBe(200);

    // Demoted: the admin token is now no more than an operator.
    expect((await call("PATCH", `/api/users/${ada.id}`, { token: bootstrap }, { role: "operator" })).status).toBe(200);
    expect((await call("GET", "/api/users", { token })).status).toBe(403);
    const mint = await call("POST", "/api/tokens", { token }, { name: "escalate", role: "admin" });
    expect(mint.status).toBe(403);
    expect((await call("GET", "/api/runs", { token })).status).toBe(200);

    // Disabled: refused outright; enabled again: works again (still capped at operator).
    expect((await call("PATCH", `/api/users/${ada.id}`, { token: bootstrap }, { disabled: true })).status).toBe(200);
    expect((await call("GET", "/api/runs", { token })).status).toBe(401);
    expect((await call("PATCH", `/api/users/${ada.id}`, { token: bootstrap }, { disabled: false })).status).toBe(200);
    expect((await call("GET", "/api/runs", { token })).status).toBe(200);

    // Deleted: the token row goes with them.
    await handle.db.delete(user).where(eq(user.id, ada.id));
    expect((await call("GET", "/api/runs", { token })).status).toBe(401);
    expect(await handle.db.select().from(apiTokens).where(eq(apiTokens.name, "ada-laptop"))).toHaveLength(0);
  });

  it("tokens made with the bootstrap token are service tokens with a role and a name", async () => {
    const created = await call("POST", "/api/tokens", { token: bootstrap }, { name: "ci-deployer", role: "operator" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ kind: "service", ownerUserId: null, name: "ci-deployer", role: "operator" });
  });
});

describe("GET/POST /api/users and PATCH /api/users/:id (admins, audited)", () => {
  it("lets admins manage people over the API and refuses everyone else", async () => {
    const made = await call(
      "POST",
      "/api/users",
      { token: bootstrap },
      { email: "Newbie@Example.com", name: "Newbie", role: "reviewer", password: "a long enough password" },
    );
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ email: "newbie@example.com", role: "reviewer", disabled: false });
    expect(JSON.stringify(made.json)).not.toMatch(/password/i);
    const id = String(made.json.id);
    const list = await call("GET", "/api/users", { token: bootstrap });
    expect((list.json.users as { email: string }[]).map((u) => u.email)).toContain("newbie@example.com");
    const patched = await call("PATCH", `/api/users/${id}`, { token: bootstrap }, { role: "lead", disabled: true });
    expect(patched).toMatchObject({ status: 200, json: { role: "lead", disabled: true } });
    expect((await auditOf(handle.db, "user.role_changed")).some((e) => e.subjectId === id)).toBe(true);
    expect((await auditOf(handle.db, "user.disabled")).some((e) => e.subjectId === id)).toBe(true);

    expect((await call("PATCH", `/api/users/${id}`, { token: bootstrap }, {})).status).toBe(400);
    expect((await call("PATCH", "/api/users/no-such-user", { token: bootstrap }, { role: "lead" })).status).toBe(404);
    const operator = await call("POST", "/api/tokens", { token: bootstrap }, { name: "ops", role: "operator" });
    const opToken = String(operator.json.token);
    expect((await call("GET", "/api/users", { token: opToken })).status).toBe(403);
    expect((await call("PATCH", `/api/users/${id}`, { token: opToken }, { role: "admin" })).status).toBe(403);
    expect((await call("GET", "/api/users", {})).status).toBe(401);
  });
});

describe("human-oversight approvals are decided by a person other than the starter", () => {
  it("refuses service tokens (403 naming why) and the run's own starter; another person decides", async () => {
    const starter = await addUser(handle.db, "starter@example.com", "lead", password);
    await addUser(handle.db, "reviewer-lead@example.com", "lead", password);
    const starterCookie = await session("starter@example.com");
    const run = await call(
      "POST",
      "/api/runs",
      { cookie: starterCookie },
      { jobId: "approve-first", input: { turns: 1 } },
    );
    expect(run.status).toBe(201);
    const pending = await call("GET", "/api/approvals?status=pending", { token: bootstrap });
    expect(pending.status).toBe(200); // a service token may read the queue
    const approval = (pending.json.approvals as { id: string; runId: string }[]).find((a) => a.runId === run.json.id);
    expect(approval).toBeDefined();
    const path = `/api/approvals/${approval?.id ?? ""}/approve`;

    const service = await call("POST", path, { token: bootstrap }, {});
    expect(service.status).toBe(403);
    expect(service.json.error?.reason).toBe("not_a_person");
    expect(service.json.error?.message).toMatch(/person/);

    const own = await call("POST", path, { cookie: starterCookie }, {});
    expect(own.status).toBe(403);
    expect(own.json.error?.reason).toBe("own_run");
    expect(run.json).toMatchObject({ state: "waiting" });
    expect(starter.id).toBeTruthy();

    const other = await session("reviewer-lead@example.com");
    const decided = await call("POST", path, { cookie: other }, {});
    expect(decided.status).toBe(200);
  });
});
