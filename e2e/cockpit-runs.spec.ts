import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import {
  api,
  bearer,
  boardReady,
  card,
  column,
  dragCard,
  expectInColumn,
  pendingApprovalOf,
  runState,
  shortId,
  signedInPage,
  startFailingRun,
  startTriage,
  tokenFor,
} from "./support/cockpit";

/** The operator journey on the kanban: live updates, pause, resume, cancel, retry, refusals, filters. */
test.describe.configure({ mode: "serial" });

let page: Page;
let request: APIRequestContext;
let operatorToken: string;
let leadToken: string;

test.beforeAll(async ({ browser }) => {
  request = await api();
  operatorToken = await tokenFor(request, "operator");
  leadToken = await tokenFor(request, "lead");
  page = await signedInPage(browser, "operator");
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await boardReady(page);
});

test.afterAll(async () => {
  await page.context().close();
  await request.dispose();
});

async function waitingRun(subject: string): Promise<string> {
  const id = await startTriage(request, operatorToken, `${subject} ${Date.now()}`);
  await expectInColumn(page, id, "waiting");
  return id;
}

test("a new run shows up within 2 s and moves across the board without a reload", async () => {
  await page.evaluate(() => Object.assign(window, { __noReload: true }));
  const started = Date.now();
  const id = await startTriage(request, operatorToken, `E2E watch ${started}`);
  await expect(card(page, id)).toBeVisible({ timeout: 5_000 });
  const seenAfter = Date.now() - started;
  test.info().annotations.push({ type: "card visible after", description: `${seenAfter} ms` });
  expect(seenAfter).toBeLessThan(3_000);

  // The triage job drafts a reply and then waits for a lead to approve sending it.
  await expectInColumn(page, id, "waiting");
  await expect(card(page, id)).toContainText("Needs approval");
  const approval = await pendingApprovalOf(request, leadToken, id);
  const decided = await request.post(`/api/approvals/${approval}/approve`, { headers: bearer(leadToken), data: {} });
  expect(decided.status()).toBe(200);
  await expectInColumn(page, id, "done");
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
});

test("with the live stream up, a new run is on the board within 1 s, well before the fallback poll", async () => {
  // Healthy stream: the board polls only every 15 s (BOARD_LIVE_POLL_MS), so 1 s can only be the push.
  await expect(page.locator('[aria-label="Runs board"][data-live="true"]')).toBeVisible();
  const id = await startTriage(request, operatorToken, `E2E push ${Date.now()}`);
  const created = Date.now();
  await expect(card(page, id)).toBeVisible({ timeout: 1_000 });
  test.info().annotations.push({ type: "card visible after", description: `${Date.now() - created} ms` });
});

test("drag a waiting run to Paused pauses it; Resume from the card menu puts it back", async () => {
  const id = await waitingRun("E2E pause");
  await dragCard(page, id, "paused");
  await expectInColumn(page, id, "paused", 2_000);
  await expect.poll(async () => (await runState(request, operatorToken, id)).state).toBe("paused");
  // Still there after the next polls (the optimistic move was confirmed, not undone).
  await page.waitForTimeout(1_500);
  await expectInColumn(page, id, "paused", 1_000);

  await card(page, id)
    .getByRole("button", { name: /actions for/i })
    .click();
  await page.getByRole("menuitem", { name: /resume/i }).click();
  // Its approval is still pending, so resuming returns it to Waiting rather than Queued.
  await expectInColumn(page, id, "waiting");
  await expect.poll(async () => (await runState(request, operatorToken, id)).state).toBe("waiting");
});

test("from the keyboard: arrows reach a card, p pauses, r resumes, Enter opens its menu, ? lists the shortcuts", async () => {
  const id = await waitingRun("E2E keyboard");
  await card(page, id).focus();
  await page.keyboard.press("p");
  await expectInColumn(page, id, "paused");
  await expect.poll(async () => (await runState(request, operatorToken, id)).state).toBe("paused");
  await expect(card(page, id)).toBeFocused();
  await page.keyboard.press("r");
  await expectInColumn(page, id, "waiting");

  await card(page, id).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: /open run/i })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(card(page, id)).toBeFocused();

  await page.keyboard.press("ArrowLeft");
  await expect(page.locator("[data-run-card]:focus")).toHaveCount(1);
  await page.keyboard.press("Shift+?");
  const help = page.getByRole("dialog", { name: /keyboard shortcuts/i });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Pause");
  await page.keyboard.press("Escape");
});

test("dropping a run on the Cancel zone cancels it", async () => {
  const id = await waitingRun("E2E cancel");
  await dragCard(page, id, "cancel");
  await expectInColumn(page, id, "done", 2_000);
  await expect.poll(async () => (await runState(request, operatorToken, id)).state).toBe("cancelled");
  await expect(card(page, id)).toContainText("Cancelled");
});

test("a cancel waits 5 s with Undo in its notification: undone, the run carries on; left alone, it is sent", async () => {
  const id = await waitingRun("E2E undo cancel");
  await card(page, id).focus();
  await page.keyboard.press("c");
  await expectInColumn(page, id, "done", 2_000);
  const notice = page.locator("[data-sonner-toast]").filter({ hasText: /cancelling run .* in 5 s/i });
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(page.locator("[data-sonner-toast]").getByText(/cancel undone/i)).toBeVisible();
  await expectInColumn(page, id, "waiting");
  // Past the grace period nothing was sent.
  await page.waitForTimeout(5_500);
  expect((await runState(request, operatorToken, id)).state).toBe("waiting");

  await card(page, id).focus();
  await page.keyboard.press("c");
  await page.waitForTimeout(1_000);
  expect((await runState(request, operatorToken, id)).state).toBe("waiting");
  await expect
    .poll(async () => (await runState(request, operatorToken, id)).state, { timeout: 10_000 })
    .toBe("cancelled");
  await expect(page.locator("[data-sonner-toast]").getByText(`Run ${shortId(id)}: cancelled`)).toBeVisible();
});

test("a paused run dropped on Running resumes", async () => {
  const id = await waitingRun("E2E drop resume");
  await dragCard(page, id, "paused");
  await expect.poll(async () => (await runState(request, operatorToken, id)).state).toBe("paused");
  await expect(page.locator("[data-sonner-toast]").getByText(`Run ${shortId(id)}: paused`)).toBeVisible();
  await dragCard(page, id, "running");
  // Its approval is still pending, so it goes back to Waiting.
  await expect.poll(async () => (await runState(request, operatorToken, id)).state).toBe("waiting");
});

test("a failed run needs attention; dragging it to Queued retries it as a new linked run", async () => {
  const id = await startFailingRun(request, operatorToken);
  await expectInColumn(page, id, "attention", 20_000);
  await expect(card(page, id)).toContainText(/token budget exhausted/);
  await dragCard(page, id, "queued");
  await expect(page.locator("[data-sonner-toast]").getByText(/retry queued as run/i)).toBeVisible();
  // The original is done with ("Retried"); the retry is a new run pointing back at it.
  await expectInColumn(page, id, "done");
  await expect(card(page, id)).toContainText("Retried");
  await expect
    .poll(async () => {
      const response = await request.get("/api/runs?job=triage-ticket&limit=50", { headers: bearer(operatorToken) });
      const body = (await response.json()) as { runs: { id: string; retryOf: string | null }[] };
      return body.runs.some((r) => r.retryOf === id);
    })
    .toBe(true);
});

test("a control the server refuses moves the card back and says why", async () => {
  const id = await waitingRun("E2E refusal");
  // Freeze the board's feed, change the run behind its back, then act on the stale card.
  await page.route("**/api/board**", (route) => route.abort());
  const cancelled = await request.post(`/api/runs/${id}/cancel`, { headers: bearer(operatorToken) });
  expect(cancelled.status()).toBe(200);
  await dragCard(page, id, "paused");
  await expect(
    page.locator("[data-sonner-toast]").getByText(/pause refused: cannot pause a run that is cancelled/i),
  ).toBeVisible();
  await expectInColumn(page, id, "waiting", 2_000);
  await page.unroute("**/api/board**");
  await expectInColumn(page, id, "done");
});

test("an illegal drop is visibly not allowed and does nothing", async () => {
  const id = await waitingRun("E2E illegal");
  const source = card(page, id);
  await source.hover();
  await page.mouse.down();
  const box = await source.boundingBox();
  await page.mouse.move((box?.x ?? 0) + 20, (box?.y ?? 0) + 20, { steps: 3 });
  await expect(column(page, "running")).toHaveAttribute("data-drop", "refused");
  await expect(column(page, "running")).toContainText("Not allowed");
  await expect(column(page, "paused")).toHaveAttribute("data-drop", /allowed|over/);
  const target = await column(page, "running").locator("header").boundingBox();
  await page.mouse.move((target?.x ?? 0) + 30, (target?.y ?? 0) + 10, { steps: 4 });
  await page.mouse.up();
  await expectInColumn(page, id, "waiting", 2_000);
  expect((await runState(request, operatorToken, id)).state).toBe("waiting");
});

test("filters narrow the board and live in the URL", async () => {
  await page.getByRole("combobox", { name: "Filter by risk" }).click();
  await page.getByRole("option", { name: "Minimal risk" }).click();
  await expect(page).toHaveURL(/risk=minimal/);
  // Every triage run is of limited risk, so none is left on the board.
  await expect(page.locator('[data-run-card][aria-label*="Triage support ticket"]')).toHaveCount(0);
  await page.reload();
  await boardReady(page);
  await expect(page.getByRole("combobox", { name: "Filter by risk" })).toHaveText(/Minimal risk/);
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page).not.toHaveURL(/risk=/);
  await expect(page.locator('[data-run-card][aria-label*="Triage support ticket"]').first()).toBeVisible();
});

test("at 1280 px the six columns fit without sideways scrolling; under a filter the empty ones shrink to strips", async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  try {
    await page.goto("/runs");
    await boardReady(page);
    const board = page.getByRole("region", { name: "Runs board" });
    const overflow = () => board.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(1);
    await page.goto("/runs?state=waiting");
    await boardReady(page);
    await expect(page.locator('[data-column="waiting"]')).not.toHaveAttribute("data-collapsed", "true");
    for (const column of ["queued", "running", "paused", "attention", "done"])
      await expect(page.locator(`[data-column="${column}"]`)).toHaveAttribute("data-collapsed", "true");
    expect(await overflow()).toBeLessThanOrEqual(1);
  } finally {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/runs");
    await boardReady(page);
  }
});

test("select cards on the board and resume them together; what cannot be resumed is listed with its reason", async () => {
  // Paused reads most recently paused first, so these two are at its top however busy the board is.
  const a = await startTriage(request, operatorToken, `E2E bulk a ${Date.now()}`);
  const b = await startTriage(request, operatorToken, `E2E bulk b ${Date.now()}`);
  for (const id of [a, b]) {
    await expect
      .poll(async () => (await runState(request, operatorToken, id)).state, { timeout: 20_000 })
      .toBe("waiting");
    expect((await request.post(`/api/runs/${id}/pause`, { headers: bearer(operatorToken), data: {} })).status()).toBe(
      200,
    );
    await expectInColumn(page, id, "paused");
  }
  const failed = await startFailingRun(request, operatorToken);
  await expectInColumn(page, failed, "attention");

  await page.getByRole("button", { name: "Select", exact: true }).click();
  const bar = page.getByRole("toolbar", { name: "Bulk controls" });
  await expect(bar).toContainText("Tick cards");
  await card(page, a).getByRole("checkbox").click();
  // Shift-click selects too; x on a focused card as well.
  await card(page, b).click({ modifiers: ["Shift"] });
  await card(page, failed).focus();
  await page.keyboard.press("x");
  await expect(bar).toContainText("3 selected");
  await expect(card(page, a)).toHaveAttribute("data-selected", "true");

  await bar.getByRole("button", { name: "Resume (2)" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Resume refused for 1 run" })).toContainText(shortId(failed));
  for (const id of [a, b])
    await expect.poll(async () => (await runState(request, operatorToken, id)).state).not.toBe("paused");
  expect((await runState(request, operatorToken, failed)).state).toBe("failed");
  // The selection is cleared; the bar stays open while it lists a refusal.
  await expect(card(page, failed)).not.toHaveAttribute("data-selected", "true");
  await expect(bar).toContainText("Tick cards");
  await page.getByRole("button", { name: "Done selecting" }).click();
  await expect(bar).toHaveCount(0);
});

test("a column longer than one page is fetched page by page, counts every run, and shows its newest at the end", async () => {
  test.setTimeout(120_000);
  const prefix = `E2E page ${Date.now()}`;
  const ids: string[] = [];
  for (let i = 0; i < 70; i++) ids.push(await startTriage(request, operatorToken, `${prefix} #${i}`));
  try {
    // Every one drafts its reply and waits for approval: the Waiting column, oldest first.
    await expect
      .poll(
        async () => (await Promise.all(ids.map((id) => runState(request, operatorToken, id)))).map((r) => r.state),
        {
          timeout: 60_000,
        },
      )
      .toEqual(ids.map(() => "waiting"));
    // A page request that fails says so at the column's end and is not asked again on its own.
    const pages = "**/api/board/columns/**";
    let refused = 0;
    await page.route(pages, (route) => {
      refused += 1;
      return route.fulfill({ status: 503, contentType: "application/json", body: "{}" });
    });
    await page.goto("/runs?job=triage-ticket&state=waiting");
    await boardReady(page);
    const waiting = column(page, "waiting");
    const total = Number((await waiting.locator("header span.tabular-nums").innerText()).replace(/\D/g, ""));
    expect(total).toBeGreaterThanOrEqual(70);
    const list = waiting.locator(".overflow-y-auto");
    const retry = waiting.getByRole("button", { name: "Could not load more runs — try again" });
    await expect(async () => {
      await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(retry).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 15_000 });
    // Polls go on, but nothing asks for the failed page again until the person does.
    const asked = refused;
    await page.waitForTimeout(3_000);
    expect(refused).toBe(asked);
    await page.unroute(pages);
    await retry.click();
    // The newest run sorts last, beyond the first page: a column of a few pages fetches the rest by itself
    // (a long one, as the 50,000-run bench scrolls, when its end comes into view).
    const newest = ids.at(-1) ?? "";
    await expect(async () => {
      await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(card(page, newest)).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await expect(waiting.getByRole("button", { name: /Loading more/ })).toHaveCount(0);
  } finally {
    for (const id of ids) await request.post(`/api/runs/${id}/cancel`, { headers: bearer(operatorToken), data: {} });
    await page.goto("/runs");
    await boardReady(page);
  }
});
