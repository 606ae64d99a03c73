import { bearer, startTriage } from "./support/cockpit";
import { e2eAdminToken } from "./support/constants";
import { expect, test } from "./support/fixtures";
import { discoverApiRoutes } from "./support/routes";

/**
 * GET /api/openapi.json over real HTTP, every GET route called as an admin with ids from
 * the demo data (each answer checked against the document by the fixture in
 * support/fixtures.ts).
 */

test("the document is public, OpenAPI 3.1, and has every route handler", async ({ request }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toMatch(/^3\.1\./);
  const missing = discoverApiRoutes()
    .map((r) => ({ path: r.pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}"), method: r.method.toLowerCase() }))
    .filter((r) => doc.paths[r.path]?.[r.method] === undefined)
    .map((r) => `${r.method} ${r.path}`);
  expect(missing).toEqual([]);
});

test("every GET route answers an admin as the document says (demo ids)", async ({ request }) => {
  const admin = bearer(e2eAdminToken);
  const get = async (path: string) => {
    const response = await request.get(path, { headers: admin });
    expect(response.status(), `GET ${path}: ${await response.text()}`).toBeLessThan(500);
    return response;
  };
  const runId = await startTriage(request, e2eAdminToken, `E2E openapi ${Date.now()}`);
  const jobs = (await (await get("/api/jobs")).json()) as { jobs: { id: string }[] };
  const cards = (await (await get("/api/flashcards")).json()) as { cards: { id: string }[] };
  const memory = (await (await get("/api/memory")).json()) as { collections: { name: string }[] };
  const listing = (await (await get(`/api/runs/${runId}/workspace`)).json()) as { files: { path: string }[] };

  const paths = [
    "/api/health",
    "/api/board",
    "/api/runs",
    "/api/search?q=E2E",
    "/api/runs/export?range=24h",
    `/api/runs/${runId}`,
    `/api/runs/${runId}/lineage`,
    `/api/runs/${runId}/workspace/${listing.files[0]?.path ?? "missing.txt"}`,
    "/api/approvals",
    `/api/jobs/${jobs.jobs[0]?.id ?? "missing"}`,
    "/api/resources",
    "/api/scheduling",
    `/api/flashcards/${cards.cards[0]?.id ?? "missing"}`,
    "/api/audit",
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
    `/api/memory/${memory.collections[0]?.name ?? "missing"}/missing-key`,
    "/api/locks",
    "/api/metrics",
  ];
  for (const path of paths) await get(path);
  expect(jobs.jobs.length).toBeGreaterThan(0);
});
