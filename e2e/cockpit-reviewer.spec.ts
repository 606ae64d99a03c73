import { expect, test, type APIRequestContext } from "@playwright/test";
import {
  api,
  bearer,
  boardReady,
  card,
  expectInColumn,
  runState,
  signedInPage,
  startTriage,
  tokenFor,
} from "./support/cockpit";

/**
 * Read-only everywhere for a reviewer: the board, runs and jobs render without a single
 * control, and the server refuses the controls anyway. Then a lead decides an approval
 * from the run page.
 */
test.describe.configure({ mode: "serial" });

let request: APIRequestContext;
let operatorToken: string;
let reviewerToken: string;
let runId: string;
const subject = `E2E reviewer ${Date.now()}`;

test.beforeAll(async () => {
  request = await api();
  operatorToken = await tokenFor(request, "operator");
  reviewerToken = await tokenFor(request, "reviewer");
  runId = await startTriage(request, operatorToken, subject);
  await expect
    .poll(async () => (await runState(request, operatorToken, runId)).state, { timeout: 15_000 })
    .toBe("waiting");
});

test.afterAll(async () => {
  await request.dispose();
});

test("the reviewer sees the board but no controls: nothing drags, menus only open or copy, keys do nothing", async ({
  browser,
}) => {
  const page = await signedInPage(browser, "reviewer");
  await page.goto("/runs");
  await expectInColumn(page, runId, "waiting");
  await boardReady(page);
  await expect(page.locator('[data-run-card][draggable="true"]')).toHaveCount(0);
  await expect(page.getByText(/your role can watch the board/i)).toBeVisible();

  await card(page, runId)
    .getByRole("button", { name: /actions for/i })
    .click();
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem", { name: /open run/i })).toBeVisible();
  await expect(menu.getByRole("menuitem", { name: /pause|resume|cancel|retry/i })).toHaveCount(0);
  await page.keyboard.press("Escape");

  await card(page, runId).focus();
  await page.keyboard.press("p");
  await page.keyboard.press("c");
  await page.waitForTimeout(1_000);
  expect((await runState(request, operatorToken, runId)).state).toBe("waiting");
  await page.context().close();
});

test("the reviewer's run and job pages have no controls, no approve buttons and no Run now", async ({ browser }) => {
  const page = await signedInPage(browser, "reviewer");
  await page.goto(`/runs/${runId}`);
  // The run reads as its ticket; the job is named beside it.
  await expect(page.getByRole("heading", { level: 1 })).toContainText(subject);
  await expect(page.getByText("Triage support ticket · Run")).toBeVisible();
  await expect(page.getByRole("group", { name: "Run controls" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(pause|resume|cancel|retry|approve|reject)$/i })).toHaveCount(0);
  await expect(page.getByText("A lead or an admin decides this.")).toBeVisible();

  await page.goto("/jobs");
  await expect(page.getByRole("link", { name: "Triage support ticket" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Run now" })).toHaveCount(0);
  await page.goto("/jobs/triage-ticket");
  await expect(page.getByRole("button", { name: "Run now" })).toHaveCount(0);
  await page.context().close();
});

test("the server refuses a reviewer's controls whatever the UI shows", async () => {
  for (const control of ["pause", "cancel"]) {
    const response = await request.post(`/api/runs/${runId}/${control}`, { headers: bearer(reviewerToken) });
    expect(response.status(), control).toBe(403);
  }
  const start = await request.post("/api/runs", {
    headers: bearer(reviewerToken),
    data: { jobId: "sla-sweep", input: {} },
  });
  expect(start.status()).toBe(403);
  const approvals = (await (await request.get("/api/approvals", { headers: bearer(reviewerToken) })).json()) as {
    approvals: { id: string; runId: string }[];
  };
  const pending = approvals.approvals.find((a) => a.runId === runId);
  expect(pending).toBeTruthy();
  const decide = await request.post(`/api/approvals/${pending?.id}/approve`, {
    headers: bearer(reviewerToken),
    data: {},
  });
  expect(decide.status()).toBe(403);
  expect((await runState(request, operatorToken, runId)).state).toBe("waiting");
});

test("a lead approves the pending reply from the run page and the run finishes", async ({ browser }) => {
  const page = await signedInPage(browser, "lead");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("heading", { name: "Waiting for a decision" })).toBeVisible();
  await expect(page.getByText("send_reply").first()).toBeVisible();
  await page.getByLabel("Note (optional)").fill("Reply reads well.");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText(/approved — the run continues/i)).toBeVisible();
  await expect
    .poll(async () => (await runState(request, operatorToken, runId)).state, { timeout: 15_000 })
    .toBe("succeeded");
  // The page follows the run by itself until it is done.
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Succeeded", { timeout: 10_000 });
  // Not just "Succeeded": what happened for the customer.
  await expect(page.getByTestId("run-outcome")).toHaveText("Reply sent");
  await page.getByRole("tab", { name: /audit/i }).click();
  await expect(page.getByRole("cell", { name: "run.succeeded" })).toBeVisible();
  await page.context().close();
});
