import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { api, bearer, runState, signedInPage, tokenFor } from "./support/cockpit";

/** Charts where people look: a job's page draws its runs, durations and tokens, each with the numbers as a table. */
test.describe.configure({ mode: "serial" });

let page: Page;
let request: APIRequestContext;
let token: string;

test.beforeAll(async ({ browser }) => {
  request = await api();
  token = await tokenFor(request, "operator");
  page = await signedInPage(browser, "operator");
});

test.afterAll(async () => {
  await page.context().close();
  await request.dispose();
});

type ApiRun = { id: string; state: string; tokensUsed: number };

/** Sum of one column of a chart's table (numbers as shown, thousands separators dropped). */
async function columnSum(table: Locator, column: number): Promise<number> {
  const cells = await table.locator(`tbody tr td:nth-of-type(${column})`).allInnerTexts();
  return cells.reduce((s, c) => s + Number(c.replace(/,/g, "")), 0);
}

test("a job's page charts runs, durations and tokens, and each chart's table holds the numbers", async () => {
  for (let i = 0; i < 2; i++) {
    const response = await request.post("/api/runs", {
      headers: bearer(token),
      data: { jobId: "sla-sweep", input: {} },
    });
    expect(response.status(), await response.text()).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await expect.poll(async () => (await runState(request, token, id)).state, { timeout: 30_000 }).toBe("succeeded");
  }
  const listed = await request.get("/api/runs?job=sla-sweep&limit=200", { headers: bearer(token) });
  const all = ((await listed.json()) as { runs: ApiRun[] }).runs;
  const succeeded = all.filter((r) => r.state === "succeeded").length;
  const tokens = all.reduce((s, r) => s + r.tokensUsed, 0);
  expect(succeeded).toBeGreaterThanOrEqual(2);

  await page.goto("/jobs/sla-sweep");
  const charts = page.locator("[data-job-charts]");
  const captions = charts.locator("figcaption");
  await expect(captions).toHaveText([
    "Runs per day, last 30 days (UTC), by outcome",
    "Duration of finished runs, start to finish, last 30 days",
    "Tokens spent per day, last 30 days (UTC)",
  ]);
  // The drawings are there, and hidden from assistive technology.
  await expect(charts.locator("[aria-hidden] .recharts-wrapper")).toHaveCount(3);

  const runsTable = charts.locator('[data-chart-table="runs"]');
  await expect(runsTable).toBeHidden();
  await charts.getByText("Show as table").first().click();
  await expect(runsTable).toBeVisible();
  expect(await columnSum(runsTable, 1)).toBe(all.length);
  expect(await columnSum(runsTable, 2)).toBe(succeeded);

  await charts.getByText("Show as table").nth(1).click();
  const durations = charts.locator('[data-chart-table="durations"]');
  await expect(durations).toBeVisible();
  expect(await columnSum(durations, 1)).toBe(succeeded);

  await charts.getByText("Show as table").nth(2).click();
  const tokensTable = charts.locator('[data-chart-table="tokens"]');
  await expect(tokensTable).toBeVisible();
  expect(await columnSum(tokensTable, 1)).toBe(tokens);
});

test("the Jobs table shows sparklines whose accessible names state the figures", async () => {
  await page.goto("/jobs");
  const row = page.getByRole("row").filter({ hasText: "Nightly SLA sweep" });
  const volume = row.getByRole("img", { name: /^Runs per day, last 30 days \(UTC\): \d+ on / });
  await expect(volume).toBeVisible();
  await expect(row.getByRole("img", { name: /^Success rate per day, last 30 days \(UTC\): \d+% on / })).toBeVisible();
  await expect(row.getByRole("img", { name: /^Median duration of succeeded runs per day/ })).toBeVisible();
});
