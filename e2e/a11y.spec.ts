import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { api, boardReady, expectInColumn, runState, signedInPage, startTriage, tokenFor } from "./support/cockpit";
import type { DemoRole } from "./support/constants";

/**
 * axe on every page (no serious or critical violation), in the light and the dark theme,
 * with a screenshot of each attached to the report.
 */
test.describe.configure({ mode: "serial" });

let runId = "";

test.beforeAll(async () => {
  const request = await api();
  const token = await tokenFor(request, "operator");
  runId = await startTriage(request, token, `E2E a11y ${Date.now()}`);
  await expect.poll(async () => (await runState(request, token, runId)).state, { timeout: 15_000 }).toBe("waiting");
  await request.dispose();
});

/** Full rule set; `contrastOnly` for the second theme, where only colours differ. */
async function check(
  page: Page,
  testInfo: TestInfo,
  name: string,
  options: { contrastOnly?: boolean } = {},
): Promise<void> {
  // Pages render their data on the server; each entry's ready() already waited for it.
  const builder = new AxeBuilder({ page });
  if (options.contrastOnly) builder.withRules(["color-contrast"]);
  else builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]);
  const results = await builder.analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  // Full-page shots of the complete scan; the contrast-only pass keeps the (cheaper) viewport.
  await testInfo.attach(`${name}.png`, {
    body: await page.screenshot({ fullPage: !options.contrastOnly }),
    contentType: "image/png",
  });
  const summary = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 3)
        .join(", ")}`,
  );
  expect(summary, `${name}: serious or critical axe violations`).toEqual([]);
}

const pages: { role: DemoRole; path: () => string; name: string; ready: (page: Page) => Promise<void> }[] = [
  { role: "operator", name: "runs-board", path: () => "/runs", ready: (p) => expectInColumn(p, runId, "waiting") },
  {
    role: "operator",
    name: "run-detail",
    path: () => `/runs/${runId}`,
    ready: (p) => expect(p.getByRole("heading", { name: "Turn 1" })).toBeVisible(),
  },
  {
    role: "operator",
    name: "run-workspace",
    path: () => `/runs/${runId}?tab=workspace&file=drafts%2Fticket.md`,
    ready: (p) => expect(p.getByLabel(/contents of/i)).toBeVisible(),
  },
  {
    role: "operator",
    name: "runs-list",
    path: () => "/runs/list",
    ready: (p) => expect(p.getByRole("table", { name: "Runs" })).toBeVisible(),
  },
  { role: "operator", name: "jobs", path: () => "/jobs", ready: (p) => expect(p.getByRole("table")).toBeVisible() },
  {
    role: "operator",
    name: "job-detail",
    path: () => "/jobs/triage-ticket",
    ready: (p) => expect(p.getByRole("heading", { name: "Version history" })).toBeVisible(),
  },
  {
    role: "operator",
    name: "resources",
    path: () => "/resources",
    ready: (p) => expect(p.getByText("Model endpoints")).toBeVisible(),
  },
  {
    role: "admin",
    name: "proof",
    path: () => "/proof",
    ready: (p) => expect(p.getByRole("table", { name: "Proof runs" })).toBeVisible(),
  },
  {
    role: "reviewer",
    name: "audit",
    path: () => "/audit",
    ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  {
    role: "operator",
    name: "flashcards",
    path: () => "/flashcards",
    ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  {
    // The renderer's navigation (every operation) and one operation with a request body and its answers.
    role: "reviewer",
    name: "api-reference",
    path: () => "/api-reference#?route=post-/api/runs",
    ready: (p) =>
      expect(p.locator("openapi-explorer").getByRole("heading", { name: "Start a manual run" })).toBeVisible(),
  },
  {
    role: "admin",
    name: "settings-users",
    path: () => "/settings/users",
    ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  {
    role: "admin",
    name: "settings-tokens",
    path: () => "/settings/tokens",
    ready: (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible(),
  },
  {
    role: "admin",
    name: "settings-webhooks",
    path: () => "/settings/webhooks",
    ready: (p) => expect(p.getByTestId("webhook-target")).toContainText("Webhooks are off"),
  },
];

for (const theme of ["light", "dark"] as const) {
  test(`every cockpit page passes axe in the ${theme} theme${theme === "dark" ? " (contrast)" : ""}`, async ({
    browser,
  }, testInfo) => {
    // Every page loaded and scanned: the default 60 s is one page's budget times too few.
    test.setTimeout(pages.length * 20_000);
    const byRole = new Map<DemoRole, Page>();
    for (const entry of pages) {
      let page = byRole.get(entry.role);
      if (!page) {
        page = await signedInPage(browser, entry.role);
        await page.emulateMedia({ colorScheme: theme });
        byRole.set(entry.role, page);
      }
      await page.goto(entry.path());
      await entry.ready(page);
      await check(page, testInfo, `${theme}-${entry.name}`, { contrastOnly: theme === "dark" });
    }
    for (const page of byRole.values()) await page.context().close();
  });
}

test("dialogs pass axe too: Run now, keyboard shortcuts", async ({ browser }, testInfo) => {
  const page = await signedInPage(browser, "operator");
  await page.goto("/jobs/triage-ticket");
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await check(page, testInfo, "dialog-run-now");
  await page.keyboard.press("Escape");
  await page.goto("/runs");
  await expectInColumn(page, runId, "waiting");
  await boardReady(page);
  await page.keyboard.press("Shift+?");
  await expect(page.getByRole("dialog", { name: /keyboard shortcuts/i })).toBeVisible();
  await check(page, testInfo, "dialog-shortcuts");
  await page.context().close();
});

test("the login page passes axe", async ({ page }, testInfo) => {
  await page.goto("/login");
  await expect(page.getByLabel("Email")).toBeVisible();
  await check(page, testInfo, "login");
});
