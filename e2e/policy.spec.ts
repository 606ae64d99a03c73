import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { policy, roleAllows, type Permission } from "../lib/auth/policy";
import { routePermissions, streamingRoutes } from "./support/route-permissions";
import { discoverApiRoutes, sampleUrl } from "./support/routes";
import { createToken } from "./support/auth";
import { demoRoles, e2eAdminToken, type DemoRole } from "./support/constants";

/**
 * Walks every API route handler as anonymous and as each role over real HTTP and
 * checks each answer against the one policy table (lib/auth/policy.ts).
 */
const routes = discoverApiRoutes().filter((r) => !r.pattern.startsWith("/api/auth/"));

/**
 * One call of the walk, answered with its status. A streaming route is opened with fetch and
 * closed after its headers (an allowed caller must get a real event stream); the request
 * context would wait for a body that never ends.
 */
async function callStatus(
  request: APIRequestContext,
  route: { method: string; pattern: string },
  headers: Record<string, string>,
): Promise<number> {
  const url = sampleUrl(route.pattern);
  if (streamingRoutes.has(`${route.method} ${route.pattern}`)) {
    const baseURL = test.info().project.use.baseURL ?? "";
    const controller = new AbortController();
    const response = await fetch(new URL(url, baseURL), { method: route.method, headers, signal: controller.signal });
    if (response.status === 200) expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    controller.abort();
    return response.status;
  }
  const response = await request.fetch(url, {
    method: route.method,
    headers: { ...headers, "content-type": "application/json" },
    data: route.method === "GET" ? undefined : {},
  });
  return response.status();
}

test("every route handler has a declared permission in the policy map", () => {
  const undeclared = routes.filter((r) => !(`${r.method} ${r.pattern}` in routePermissions));
  expect(undeclared, "routes missing from e2e/support/route-permissions.ts").toEqual([]);
  for (const permission of Object.values(routePermissions)) expect(Object.keys(policy)).toContain(permission);
});

test("every route answers each caller as the policy table says", async ({ request }) => {
  const tokens = {} as Record<DemoRole, string>;
  for (const role of demoRoles) tokens[role] = await createToken(request, role);

  const callers: { label: string; role: DemoRole | null; headers: Record<string, string> }[] = [
    { label: "anonymous", role: null, headers: {} },
    ...demoRoles.map((role) => ({ label: role, role, headers: { authorization: `Bearer ${tokens[role]}` } })),
  ];
  const mismatches: string[] = [];
  for (const route of routes) {
    const permission = routePermissions[`${route.method} ${route.pattern}`] as Permission;
    for (const caller of callers) {
      const status = await callStatus(request, route, caller.headers);
      const allowed = roleAllows(caller.role, permission);
      const expected = allowed ? "not 401/403" : caller.role === null ? "401" : "403";
      const ok = allowed ? status !== 401 && status !== 403 : status === (caller.role === null ? 401 : 403);
      if (!ok || status >= 500) {
        mismatches.push(`${route.method} ${route.pattern} as ${caller.label}: got ${status}, expected ${expected}`);
      }
    }
  }
  expect(mismatches).toEqual([]);
});

test("a metrics-scoped token may scrape GET /api/metrics and is refused (403) everywhere else", async ({ request }) => {
  const created = await request.post("/api/tokens", {
    headers: { authorization: `Bearer ${e2eAdminToken}` },
    data: { name: `e2e-metrics-${Date.now()}`, scope: "metrics" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const mismatches: string[] = [];
  for (const route of routes) {
    const status = await callStatus(request, route, { authorization: `Bearer ${token}` });
    const expected = routePermissions[`${route.method} ${route.pattern}`] === "metrics.read" ? 200 : 403;
    if (status !== expected) mismatches.push(`${route.method} ${route.pattern}: got ${status}, expected ${expected}`);
  }
  expect(mismatches).toEqual([]);
});

test("a bad bearer token is refused with 401 and no hint", async ({ request }) => {
  const response = await request.get("/api/runs", {
    headers: { authorization: "Bearer fd_not-a-real-token-at-all-000000" },
  });
  expect(response.status()).toBe(401);
  const body = (await response.json()) as { error: { message: string } };
  expect(body.error.message).not.toMatch(/token.*(exist|found|revoked)/i);
});

test("health answers without sign-in and carries no secrets", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { ok: boolean; db: string; migration: string; runtime: unknown };
  expect(body.ok).toBe(true);
  expect(body.db).toBe("pglite");
  // The migration id (which dates the build) is for signed-in callers only.
  expect(body.migration).toBeUndefined();
  expect(JSON.stringify(body)).not.toMatch(/token|password|secret/i);
});
