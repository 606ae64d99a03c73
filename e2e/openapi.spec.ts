import { signInAndWait } from "./support/auth";
import { bearer, startTriage } from "./support/cockpit";
import { e2eAdminToken } from "./support/constants";
import { expect, test } from "./support/fixtures";
import { discoverApiRoutes } from "./support/routes";

/**
 * GET /api/openapi.json over real HTTP, every GET route called as an admin with ids from
 * the demo data (each answer checked against the document by the fixture in
 * support/fixtures.ts), and the cockpit's API reference page rendering it under the CSP.
 */

type Operation = {
  summary: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  "x-flightdeck-permission": { name: string; allowed: string };
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

test("the document is public, OpenAPI 3.1, and has every route handler", async ({ request }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  const doc = (await response.json()) as Document;
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

test("the API reference page renders the live document, with no CSP violation and nothing from elsewhere", async ({
  page,
  request,
  baseURL,
}) => {
  const doc = (await (await request.get("/api/openapi.json")).json()) as Document;
  const violations: string[] = [];
  const elsewhere: string[] = [];
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`csp-violation ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  page.on("console", (m) => {
    if (/csp-violation|Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.protocol.startsWith("http") && url.origin !== new URL(baseURL ?? "").origin) elsewhere.push(r.url());
  });

  // The lowest role: the page is for everyone signed in.
  await signInAndWait(page, "reviewer");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();

  // Every operation of the document is in the renderer's navigation, once per tag.
  const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
  const navEntries = operations.reduce((sum, op) => sum + Math.max(1, op.tags?.length ?? 0), 0);
  await expect(page.locator('openapi-explorer .nav-bar-path[role="link"]')).toHaveCount(navEntries);

  // POST /api/runs: its summary, method and path, permission and request body fields, as the document says.
  const startRun = doc.paths["/api/runs"]?.post;
  const bodyRef = startRun?.requestBody?.content["application/json"]?.schema.$ref ?? "";
  const body = doc.components.schemas[bodyRef.split("/").at(-1) ?? ""];
  expect(startRun && body?.properties).toBeTruthy();
  await page.locator('openapi-explorer [id="link-post-/api/runs"]').first().click();
  await expect(page).toHaveURL(/route=post-\/api\/runs/);
  const operation = page.locator('openapi-explorer [id="post-/api/runs"]');
  await expect(operation.getByRole("heading", { name: startRun?.summary ?? "" })).toBeVisible();
  await expect(operation.getByText("/api/runs", { exact: true })).toBeVisible();
  await expect(operation.getByText(startRun?.["x-flightdeck-permission"].name ?? "", { exact: true })).toBeVisible();
  const requestPanel = operation.locator("api-request");
  for (const field of Object.keys(body?.properties ?? {})) {
    await expect(requestPanel.getByText(field, { exact: true }).first()).toBeVisible();
  }

  expect(violations).toEqual([]);
  expect(elsewhere).toEqual([]);
});
