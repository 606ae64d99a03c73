import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/tokens";
import {
  buildOpenApiDocument,
  isApiHandler,
  openApiPath,
  permissionExtension,
  type OpenApiDocument,
  type RouteModuleEntry,
} from "@/lib/openapi";
import { addUser } from "@/tests/auth/fixtures";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import type { TestDatabase } from "@/tests/helpers/db";
import { runtimeDatabase } from "@/tests/runtime/helpers";
import * as openApiRoute from "@/app/api/openapi.json/route";
import { routeModules } from "@/app/api/openapi.json/route-modules";
import { routePermissions, streamingRoutes } from "../../e2e/support/route-permissions";
import { discoverApiRoutes } from "../../e2e/support/routes";
import { ResponseValidator, type OpenApiDoc } from "../../e2e/support/openapi";

const allModules: RouteModuleEntry[] = [...routeModules, { pattern: "/api/openapi.json", module: openApiRoute }];
const document: OpenApiDocument = buildOpenApiDocument(allModules, "test");

type Param = { name: string; in: string; required: boolean };
type Op = {
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  [permissionExtension]: { name: string };
};

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 (@readme/openapi-parser)", async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    // validate() dereferences in place: it gets a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it("lists every route module under app/api (route-modules.ts is complete)", () => {
    const discovered = [...new Set(discoverApiRoutes().map((r) => r.pattern))].sort();
    expect(allModules.map((m) => m.pattern).sort()).toEqual(discovered);
  });

  it("describes every exported handler with its permission, parameters, body and success responses", () => {
    const routes = discoverApiRoutes();
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const label = `${route.method} ${route.pattern}`;
      const handler = allModules.find((m) => m.pattern === route.pattern)?.module[route.method];
      expect(isApiHandler(handler), `${label} is made by apiRoute()`).toBe(true);
      if (!isApiHandler(handler)) continue;
      const operation = document.paths[openApiPath(route.pattern)]?.[route.method.toLowerCase()] as Op | undefined;
      expect(operation, `${label} is described`).toBeDefined();
      if (!operation) continue;

      // The permission the handler enforces, which the policy walk (e2e) also checks.
      expect(operation[permissionExtension].name, label).toBe(handler.spec.permission);
      if (!route.pattern.startsWith("/api/auth/")) expect(routePermissions[label], label).toBe(handler.spec.permission);

      const params = operation.parameters ?? [];
      const pathNames = [...route.pattern.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]);
      expect(
        params.filter((p) => p.in === "path").map((p) => p.name),
        `${label} path parameters`,
      ).toEqual(pathNames);
      const query = handler.spec.query;
      const queryKeys = query && "shape" in query ? Object.keys(query.shape as object).sort() : [];
      expect(
        params
          .filter((p) => p.in === "query")
          .map((p) => p.name)
          .sort(),
        `${label} query`,
      ).toEqual(queryKeys);

      expect(operation.requestBody !== undefined, `${label} request body`).toBe(handler.spec.body !== undefined);
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith("2"));
      expect(success.length, `${label} success responses`).toBeGreaterThan(0);
      for (const [status, response] of success) {
        expect(Object.keys(response.content ?? {}).length, `${label} ${status} has a media type`).toBe(1);
      }
      // Every route can fail; each failure is the one error shape.
      expect(operation.responses["500"]?.content?.["application/json"]?.schema).toEqual({
        $ref: "#/components/schemas/Error",
      });
    }
  });

  it("takes request schemas from the handlers' own zod schemas (no second copy)", () => {
    const create = document.paths["/api/runs"]?.post as Op;
    const ref = create.requestBody?.content["application/json"]?.schema as { $ref: string };
    const name = ref.$ref.split("/").pop() ?? "";
    expect(document.components.schemas).toHaveProperty(name);
    const schema = (document.components as { schemas: Record<string, { properties?: object }> }).schemas[name];
    expect(Object.keys(schema?.properties ?? {})).toContain("jobId");
  });
});

describe("real answers match the document", () => {
  let handle: TestDatabase;
  let server: TestServer;
  let token = "";
  const validator = new ResponseValidator(document as unknown as OpenApiDoc);
  const problems: string[] = [];
  const seen = new Set<string>();

  beforeAll(async () => {
    handle = await runtimeDatabase();
    // Literal segments before parameters, as Next's router matches.
    const dynamic = (p: string) => (p.match(/\[/g) ?? []).length + (p.includes("[...") ? 10 : 0);
    const ordered = [...allModules].sort((a, b) => dynamic(a.pattern) - dynamic(b.pattern));
    server = await serveRoutes(Object.fromEntries(ordered.map((m) => [m.pattern, m.module])));
    const admin = await addUser(handle.db, "openapi-admin@example.com", "admin");
    const owner = { kind: "user", id: admin.id, label: admin.email, role: "admin" } as const;
    token = (await createApiToken(handle.db, owner, { name: "openapi", role: "admin" })).token;
  });
  afterAll(async () => {
    await server.close();
    await handle.drop();
  });

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const url = new URL(path, server.url);
    const found = validator.operationOf(method, url.pathname);
    if (found) seen.add(`${method} ${found.path}`);
    if (response.status >= 500) problems.push(`${method} ${path} → ${response.status}: ${text}`);
    problems.push(
      ...validator.check(method, url.pathname, response.status, response.headers.get("content-type") ?? "", text),
    );
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // text answers (metrics, checkpoint) are checked by media type only
    }
    return { status: response.status, json };
  }

  it("every operation answers an admin as described (GETs with real ids, writes on fresh data)", async () => {
    const created = await call("POST", "/api/runs", { jobId: "scripted", input: { turns: 2 } });
    expect(created.status).toBe(201);
    const runId = (created.json as { id: string }).id;

    for (const path of [
      "/api/openapi.json",
      "/api/health",
      "/api/board",
      "/api/board?job=scripted&risk=minimal",
      "/api/board?risk=extreme",
      `/api/board/columns/queued?after=${encodeURIComponent("2026-01-01T00:00:00.000000Z|x")}`,
      "/api/board/columns/queued?after=not-a-cursor",
      "/api/board/columns/sideways?after=x",
      "/api/runs",
      "/api/runs?state=queued&limit=5",
      "/api/search?q=scripted",
      "/api/runs/export?state=queued",
      `/api/runs/${runId}`,
      `/api/runs/${runId}/workspace`,
      `/api/runs/${runId}/workspace/notes.txt`,
      `/api/runs/${runId}/lineage`,
      "/api/runs/missing-run",
      "/api/approvals",
      "/api/jobs",
      "/api/jobs?includeRemoved=true",
      "/api/jobs/scripted",
      "/api/jobs/missing-job",
      "/api/resources",
      "/api/scheduling",
      `/api/scheduling/positions?runs=${runId},missing-run`,
      "/api/scheduling/positions?runs=",
      "/api/flashcards",
      "/api/flashcards/missing-card",
      "/api/audit",
      "/api/audit?q=action:run.*",
      "/api/audit/facets",
      "/api/audit/verify",
      "/api/audit/checkpoint",
      "/api/audit/verifier-key",
      "/api/audit/events/1",
      "/api/audit/proof/inclusion?seq=1",
      "/api/audit/proof/consistency?from=1",
      "/api/audit/export?format=csv",
      "/api/governance",
      "/api/tokens",
      "/api/users",
      "/api/webhooks/deliveries",
      "/api/memory",
      "/api/memory/notes/missing",
      "/api/locks",
      "/api/metrics",
      "/api/runs?limit=nope",
      "/api/proof/runs",
      "/api/proof/runs/20260101T000000000Z-smoke",
      "/api/proof/runs/20260101T000000000Z-smoke/report",
      "/api/proof/runs/20260101T000000000Z-smoke/report.json",
    ]) {
      await call("GET", path);
    }

    const tokenCreated = await call("POST", "/api/tokens", { name: "openapi-made", role: "operator" });
    expect(tokenCreated.status).toBe(201);
    await call("POST", `/api/tokens/${(tokenCreated.json as { id: string }).id}/revoke`);
    const user = await call("POST", "/api/users", {
      email: "openapi-user@example.com",
      name: "Open API",
      role: "reviewer",
      password: "correct horse battery",
    });
    expect(user.status).toBe(201);
    await call("PATCH", `/api/users/${(user.json as { id: string }).id}`, { role: "operator" });
    await call("POST", `/api/runs/${runId}/priority`, { priority: 10 });
    await call("POST", `/api/runs/${runId}/revert-writes`, { dryRun: true });
    await call("POST", `/api/runs/${runId}/pause`);
    await call("POST", `/api/runs/${runId}/cancel`);
    await call("POST", `/api/runs/${runId}/retry`);
    await call("POST", `/api/runs/${runId}/nonsense`);
    await call("POST", "/api/approvals/missing/approve", {});
    await call("POST", "/api/flashcards/missing/decision", { decision: "dismiss" });
    await call("PUT", "/api/scheduling/keys/team-a", { weight: 2 });
    await call("POST", "/api/signals/scripted.requested", { turns: 1 });
    await call("POST", "/api/signals/unknown.signal", {});
    await call("POST", "/api/webhooks/deliveries/missing/redeliver");
    await call("POST", "/api/runs", { jobId: "scripted", input: { turns: "two" } });
    // A bad mode is refused before anything starts (a real start is tests/proof-runs' business).
    await call("POST", "/api/proof/runs", { mode: "everything" });

    expect(problems).toEqual([]);
    const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    // Better Auth's catch-all has its own tests; a stream (GET /api/events) never ends, so no body to check.
    const streams = [...streamingRoutes].map((r) => r.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}"));
    expect(operations.filter((o) => !seen.has(o) && !o.includes("/api/auth/") && !streams.includes(o))).toEqual([]);
  });
});
