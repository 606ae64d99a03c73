import {
  expect,
  request as playwrightRequest,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "@playwright/test";
import { demoEmail, demoPassword, e2eAdminToken, type DemoRole } from "./constants";

/**
 * Shared helpers of the cockpit specs. One signed-in browser state and one API token per
 * role for the whole run (workers: 1 keeps this module alive across spec files), so
 * each spec signs in once instead of per test.
 */
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
const states = new Map<DemoRole, Awaited<ReturnType<BrowserContext["storageState"]>>>();
const tokens = new Map<DemoRole, string>();

export type ColumnId = "queued" | "running" | "waiting" | "paused" | "attention" | "done";

export async function signedInPage(browser: Browser, role: DemoRole): Promise<Page> {
  let state = states.get(role);
  if (!state) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(demoEmail(role));
    await page.getByLabel("Password").fill(demoPassword);
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page).toHaveURL(/\/runs/);
    state = await context.storageState();
    states.set(role, state);
    await context.close();
  }
  const context = await browser.newContext({ baseURL, storageState: state, viewport: { width: 1440, height: 900 } });
  return context.newPage();
}

export async function api(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL });
}

/** An API token of the role, created once with the bootstrap admin token. */
export async function tokenFor(request: APIRequestContext, role: DemoRole): Promise<string> {
  const cached = tokens.get(role);
  if (cached) return cached;
  // Approvals are decided by people (issue 12): the lead's token belongs to a person (the
  // admin, signed in here; capped at the lead role). Other roles get service tokens.
  const response =
    role === "lead"
      ? await personToken(role)
      : await request.post("/api/tokens", {
          headers: { authorization: `Bearer ${e2eAdminToken}` },
          data: { name: `e2e-cockpit-${role}-${Date.now()}`, role },
        });
  expect(response.status(), await response.text()).toBe(201);
  const token = ((await response.json()) as { token: string }).token;
  tokens.set(role, token);
  return token;
}

/** A token of `role` created by the signed-in demo admin, so it is bound to a person. */
async function personToken(role: DemoRole) {
  const context = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const signIn = await context.post("/api/auth/sign-in/email", {
    data: { email: demoEmail("admin"), password: demoPassword },
  });
  expect(signIn.status(), await signIn.text()).toBe(200);
  const response = await context.post("/api/tokens", { data: { name: `e2e-cockpit-${role}-${Date.now()}`, role } });
  await response.body();
  return response;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A triage run (waits for a lead's approval before it sends its reply). */
export async function startTriage(
  request: APIRequestContext,
  token: string,
  subject: string,
  body = "Please help with my account.",
): Promise<string> {
  const response = await request.post("/api/runs", {
    headers: bearer(token),
    // A customer of its own: triage runs for one customer take turns (a lock on the customer entity),
    // and the demo's own runs hold theirs while they wait for approval.
    data: {
      jobId: "triage-ticket",
      input: { subject, body, customer: `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com` },
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/**
 * A run that fails deterministically: the simulated model counts ~4 characters per token
 * of the JSON prompt, and a body of 20,000 quote characters (escaped twice in the prompt)
 * spends the job's 40,000-token budget within two turns → failed, reason budget.
 */
export async function startFailingRun(request: APIRequestContext, token: string): Promise<string> {
  return startTriage(request, token, `E2E budget breaker ${Date.now()}`, '"'.repeat(20_000));
}

export async function runState(
  request: APIRequestContext,
  token: string,
  id: string,
): Promise<{ state: string; retryOf: string | null }> {
  const response = await request.get(`/api/runs/${id}`, { headers: bearer(token) });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { run: { state: string; retryOf: string | null } }).run;
}

export async function pendingApprovalOf(request: APIRequestContext, token: string, runId: string): Promise<string> {
  let id: string | undefined;
  await expect(async () => {
    const response = await request.get("/api/approvals?status=pending", { headers: bearer(token) });
    const body = (await response.json()) as { approvals: { id: string; runId: string }[] };
    id = body.approvals.find((a) => a.runId === runId)?.id;
    expect(id).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return id ?? "";
}

export const card = (page: Page, runId: string): Locator => page.locator(`[data-run-card="${runId}"]`);
export const column = (page: Page, id: ColumnId): Locator => page.locator(`section[data-column="${id}"]`);

/** The board is hydrated: drag, keyboard and menus respond. */
export async function boardReady(page: Page): Promise<void> {
  await expect(page.locator('[aria-label="Runs board"][data-ready="true"]')).toBeVisible();
}

export async function expectInColumn(page: Page, runId: string, id: ColumnId, timeout = 10_000): Promise<void> {
  await expect(column(page, id).locator(`[data-run-card="${runId}"]`)).toBeVisible({ timeout });
}

/** Native HTML5 drag with real mouse events; the cancel zone exists only while dragging. */
export async function dragCard(page: Page, runId: string, target: ColumnId | "cancel"): Promise<void> {
  const source = card(page, runId);
  // The board re-renders on its own (queue positions every 2 s, a failed refresh's marker): a
  // card replaced mid-scroll is "not attached to the DOM", and scrolling does not retry that itself.
  await expect(async () => {
    await source.scrollIntoViewIfNeeded({ timeout: 2_000 });
    await source.hover({ timeout: 2_000 });
  }).toPass({ timeout: 10_000 });
  await page.mouse.down();
  const box = await source.boundingBox();
  if (!box) throw new Error(`card ${runId} is not on screen`);
  await page.mouse.move(box.x + box.width / 2 + 12, box.y + box.height / 2 + 12, { steps: 3 });
  const drop =
    target === "cancel" ? page.locator('[data-drop-target="cancel"]') : column(page, target).locator("header");
  await expect(drop).toBeVisible();
  const dropBox = await drop.boundingBox();
  if (!dropBox) throw new Error(`drop target ${target} is not on screen`);
  await page.mouse.move(dropBox.x + dropBox.width / 2, dropBox.y + dropBox.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** The 8-hex short id the cockpit shows for a run. */
export const shortId = (id: string): string => id.replace(/-/g, "").slice(0, 8);
