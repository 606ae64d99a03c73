import { expect, test, type Page } from "@playwright/test";
import { api, bearer, runState, signedInPage, tokenFor } from "./support/cockpit";

/**
 * One time range for the list and the charts: a choice changes what the page asks for, and
 * is remembered (a cookie the server reads) so the next page opens with it; a range in the
 * URL still wins.
 */
test.describe.configure({ mode: "serial" });

const picker = (page: Page, name: string) => page.getByRole("combobox", { name });

test("the range chosen on the list changes it and a chart table, and carries over to Jobs and Resources", async ({
  browser,
}) => {
  const request = await api();
  const token = await tokenFor(request, "operator");
  // A finished run with a turn, so the job's charts and the capacity charts have something in every range.
  const started = await request.post("/api/runs", { headers: bearer(token), data: { jobId: "sla-sweep", input: {} } });
  expect(started.status(), await started.text()).toBe(201);
  const { id } = (await started.json()) as { id: string };
  await expect.poll(async () => (await runState(request, token, id)).state, { timeout: 30_000 }).toBe("succeeded");

  const page = await signedInPage(browser, "operator");
  await page.goto("/runs/list");
  await expect(picker(page, "Created")).toHaveValue("7d");

  // Keyboard: the picker is a native select; an arrow key chooses the next range and the list reloads with it.
  await picker(page, "Created").focus();
  await page.keyboard.press("ArrowUp");
  await expect(page).toHaveURL(/[?&]range=24h(&|$)/);
  await expect(picker(page, "Created")).toHaveValue("24h");
  await picker(page, "Created").selectOption("1h");
  await expect(page).toHaveURL(/[?&]range=1h(&|$)/);
  await expect(page.getByRole("table", { name: "Runs" }).locator(`[data-run-row="${id}"]`)).toBeVisible();
  // What the list links to carries the range: export, sorting, the board.
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /[?&]range=1h(&|$)/);
  await expect(page.getByRole("link", { name: /^Tokens/ })).toHaveAttribute("href", /[?&]range=1h(&|$)/);

  // Jobs: no range in the URL, so the remembered one applies.
  await page.goto("/jobs");
  await expect(picker(page, "Runs over")).toHaveValue("1h");
  await expect(page.getByRole("columnheader", { name: "Runs (last hour)" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Nightly SLA sweep" });
  await expect(row.getByRole("img", { name: /^Runs per minute, last hour \(UTC\): \d+ at \d\d:\d\d/ })).toBeVisible();

  // A job's page: its charts' tables hold one row per minute of the last hour…
  await page.goto("/jobs/sla-sweep");
  await expect(picker(page, "Runs over")).toHaveValue("1h");
  const charts = page.locator("[data-job-charts]");
  await expect(charts.locator("figcaption").first()).toHaveText("Runs per minute, last hour (UTC), by outcome");
  await charts.getByText("Show as table").first().click();
  const runsTable = charts.locator('[data-chart-table="runs"]');
  await expect(runsTable.locator("thead th").first()).toHaveText("Minute (UTC)");
  await expect(runsTable.locator("tbody tr")).toHaveCount(60);

  // …and choosing 24 hours there redraws them per hour (the open table stays open), and remembers that instead.
  await picker(page, "Runs over").selectOption("24h");
  await expect(page).toHaveURL(/\/jobs\/sla-sweep\?range=24h$/);
  await expect(charts.locator("figcaption").first()).toHaveText("Runs per hour, last 24 hours (UTC), by outcome");
  await expect(runsTable).toBeVisible();
  await expect(runsTable.locator("thead th").first()).toHaveText("Hour (UTC)");
  await expect(runsTable.locator("tbody tr")).toHaveCount(24);
  const total = (await runsTable.locator("tbody tr td:nth-of-type(1)").allTextContents()).reduce(
    (s, c) => s + Number(c.replace(/,/g, "")),
    0,
  );
  expect(total).toBeGreaterThanOrEqual(1);

  // Resources: the capacity charts open over the last 24 hours, per hour.
  await page.goto("/resources");
  await expect(picker(page, "Charts over")).toHaveValue("24h");
  await expect(page.getByRole("heading", { name: "Model capacity, last 24 hours" })).toBeVisible();
  const capacity = page.locator("[data-capacity-charts]");
  await capacity.getByText("Show as table").last().click();
  const waits = capacity.locator('[data-chart-table^="waits-"]').last();
  await expect(waits.locator("tbody tr")).toHaveCount(24);
  // Waits for tool quotas and the write budget follow the same range (none are configured here, and it says so).
  const rateLimited = page.locator("[data-resource-waits]");
  await expect(
    rateLimited.getByRole("heading", { name: "Waits for rate-limited resources, last 24 hours" }),
  ).toBeVisible();
  await expect(rateLimited).toContainText("No run waited for a tool quota or the write budget in the last 24 hours.");

  // Back on the list, the last choice (made on the job's page) applies.
  await page.goto("/runs/list");
  await expect(picker(page, "Created")).toHaveValue("24h");

  // The board: Done reaches back over the remembered range; choosing another keeps the filters and carries to the list.
  await page.goto(`/runs?job=sla-sweep`);
  await expect(picker(page, "Done within")).toHaveValue("24h");
  await expect(page.locator('section[data-column="done"]').locator(`[data-run-card="${id}"]`)).toBeVisible();
  await picker(page, "Done within").selectOption("7d");
  await expect(page).toHaveURL(/[?&]range=7d(&|$)/);
  await expect(page).toHaveURL(/[?&]job=sla-sweep(&|$)/);
  await expect(page.getByRole("navigation", { name: "Runs view" }).getByRole("link", { name: "List" })).toHaveAttribute(
    "href",
    /[?&]range=7d(&|$)/,
  );
  await page.getByRole("combobox", { name: "Filter by risk" }).click();
  await page.getByRole("option", { name: "Minimal risk" }).click();
  await expect(page).toHaveURL(/[?&]range=7d(&|$)/);
  await page.goto("/runs/list");
  await expect(picker(page, "Created")).toHaveValue("7d");
  await picker(page, "Created").selectOption("24h");
  // The choice submits the list's form: wait for that navigation before starting another.
  await expect(page).toHaveURL(/[?&]range=24h(&|$)/);

  // A range in the URL wins over the remembered one, without replacing it.
  await page.goto("/resources?range=7d");
  await expect(page.getByRole("heading", { name: "Model capacity, last 7 days" })).toBeVisible();
  await page.goto("/jobs");
  await expect(picker(page, "Runs over")).toHaveValue("24h");
  // A range that is not one is named, and the remembered one is shown instead.
  await page.goto("/jobs?range=90d");
  await expect(page.getByRole("alert").filter({ hasText: "time range" })).toHaveText(
    'Unknown time range "90d" (one of 1h, 24h, 7d, 30d, all); showing last 24 hours.',
  );
  await expect(picker(page, "Runs over")).toHaveValue("24h");

  await page.context().close();
  await request.dispose();
});
