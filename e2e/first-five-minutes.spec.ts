import { expect, test, type Page } from "@playwright/test";
import {
  api,
  bearer,
  boardReady,
  card,
  expectInColumn,
  runState,
  startTriage,
  tokenFor,
  type ColumnId,
} from "./support/cockpit";
import { demoPassword } from "./support/constants";

/**
 * Issue 17's "done means", as a new operator lives it: open the cockpit, sign in with the
 * demo account, watch runs move, find one by its ticket subject, pause and resume it, and
 * cancel one from the board with undo. Then every page is photographed in both themes and
 * attached to the report.
 */
/**
 * Active columns read oldest first, so on a busy board a new card sits at the bottom of its
 * (virtualized) column: scroll there, as a person would, until the card is on screen.
 */
async function reveal(page: Page, runId: string, column?: ColumnId): Promise<void> {
  await expect(async () => {
    await page.evaluate((only) => {
      const selector = only
        ? `section[data-column="${only}"] .overflow-y-auto`
        : "section[data-column] .overflow-y-auto";
      for (const list of document.querySelectorAll(selector)) list.scrollTop = list.scrollHeight;
    }, column ?? null);
    if (column) await expectInColumn(page, runId, column, 500);
    else await expect(card(page, runId)).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
}

test("a new operator signs in, watches runs move, finds one by subject, pauses and resumes it, and cancels one with undo", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const request = await api();
  const token = await tokenFor(request, "operator");

  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill("operator@flightdeck.local");
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/runs/);
  await boardReady(page);

  // Runs move: a new ticket's card appears and crosses to Waiting (its reply needs a lead) on its own.
  const subject = `First five minutes ${Date.now()}`;
  const watched = await startTriage(request, token, subject);
  await reveal(page, watched);
  await expect(card(page, watched)).toContainText(subject);
  await reveal(page, watched, "waiting");

  // Found by its subject from anywhere, then paused and resumed from its page.
  await page.goto("/jobs");
  await page.keyboard.press("Control+k");
  const palette = page.getByRole("dialog", { name: "Find runs, jobs and pages" });
  await palette.getByRole("combobox").fill(subject);
  await expect(palette.getByRole("option").filter({ hasText: subject })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(subject);
  const controls = page.getByRole("group", { name: "Run controls" });
  await controls.getByRole("button", { name: "Pause" }).click();
  await expect(page.locator("[data-sonner-toast]").getByText(/run paused/i)).toBeVisible();
  await expect.poll(async () => (await runState(request, token, watched)).state).toBe("paused");
  await controls.getByRole("button", { name: "Resume" }).click();
  await expect(page.locator("[data-sonner-toast]").getByText(/run resumed/i)).toBeVisible();
  await expect.poll(async () => (await runState(request, token, watched)).state).toBe("waiting");

  // Cancelled from the board, undone, then cancelled for good.
  await page.goto("/runs");
  await boardReady(page);
  await reveal(page, watched, "waiting");
  await card(page, watched).focus();
  await page.keyboard.press("c");
  await page
    .locator("[data-sonner-toast]")
    .filter({ hasText: /cancelling run/i })
    .getByRole("button", { name: "Undo" })
    .click();
  await reveal(page, watched, "waiting");
  await card(page, watched).focus();
  await page.keyboard.press("c");
  await expect.poll(async () => (await runState(request, token, watched)).state, { timeout: 15_000 }).toBe("cancelled");
  await expect(card(page, watched)).toContainText("Cancelled");
  await request.dispose();
});

test("every page in both themes, photographed for the report, and nothing wider than the window at 1440 px", async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const request = await api();
  const token = await tokenFor(request, "admin");
  const runs = (await (await request.get("/api/runs?limit=1", { headers: bearer(token) })).json()) as {
    runs: { id: string }[];
  };
  const runId = runs.runs[0]?.id ?? "";
  const pages = [
    "/runs",
    "/runs/list",
    `/runs/${runId}`,
    "/jobs",
    "/jobs/triage-ticket",
    "/flashcards",
    "/audit",
    "/governance",
    "/memory",
    "/resources",
    "/api-reference",
    "/proof",
    "/settings/users",
  ];
  for (const theme of ["light", "dark"] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill("admin@flightdeck.local");
    await page.getByLabel("Password").fill(demoPassword);
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page).toHaveURL(/\/runs/);
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      // The live stream keeps a request open, so "network idle" never comes: let charts and lists settle.
      await page.waitForTimeout(400);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(wide, `${path} is wider than the window`).toBeLessThanOrEqual(1);
      if (path === "/jobs" || path === "/runs/list") {
        // Their tables fit: no sideways scrolling inside them either.
        const hidden = await page
          .locator("table")
          .first()
          .evaluate((t) => t.scrollWidth - (t.parentElement?.clientWidth ?? 0));
        expect(hidden, `${path}: the table scrolls sideways`).toBeLessThanOrEqual(1);
      }
      await testInfo.attach(`${theme} ${path}`, {
        body: await page.screenshot({ fullPage: false }),
        contentType: "image/png",
      });
    }
    await context.close();
  }
  await request.dispose();
});
