import { expect, test } from "@playwright/test";
import { signedInPage } from "./support/cockpit";

/**
 * /proof: an admin runs the proof (smoke sizes) from the cockpit through the real
 * `npm run proof`, watches its progress, and opens the report it wrote; other roles read.
 */
test("an admin runs the proof from the cockpit, follows its progress and opens the self-contained report", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const page = await signedInPage(browser, "admin");
  await page.goto("/proof");
  await expect(page.getByRole("heading", { level: 1, name: "Proof" })).toBeVisible();
  await page.getByRole("radio", { name: /Smoke/ }).check();
  await page.getByRole("button", { name: "Run the proof" }).click();

  const progress = page.getByLabel("Proof progress");
  await expect(progress).toContainText("smoke run on", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Run the proof" })).toBeDisabled();
  await expect(page.getByRole("status").filter({ hasText: /^Finished|^Ended/ })).toBeVisible({ timeout: 280_000 });
  await expect(progress).toContainText("verdicts:");

  const row = page.getByRole("table", { name: "Proof runs" }).locator("[data-proof-run]").first();
  await expect(row).toContainText("Smoke");
  await expect(row).toContainText(/\d+ of \d+/);
  const requests: string[] = [];
  const [report] = await Promise.all([
    page.context().waitForEvent("page"),
    row.getByRole("link", { name: "HTML" }).click(),
  ]);
  report.on("request", (r) => requests.push(r.url()));
  await report.waitForLoadState();
  await expect(report.getByText(/scheduler under contention/i).first()).toBeVisible();
  await expect(report.getByText(/workspace isolation/i).first()).toBeVisible();
  await expect(report.getByText(/audit-trail query/i).first()).toBeVisible();
  // Self-contained: nothing fetched after the document itself.
  expect(requests.filter((u) => !u.includes("/api/proof/runs/"))).toEqual([]);
});

test("an operator reads the proof history but cannot run it, and the server refuses the start anyway", async ({
  browser,
}) => {
  const page = await signedInPage(browser, "operator");
  await page.goto("/proof");
  await expect(page.getByRole("table", { name: "Proof runs" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Run the proof" })).toHaveCount(0);
  await expect(page.getByText("Admins can run the proof from here")).toBeVisible();
  const refused = await page.request.post("/api/proof/runs", {
    data: { mode: "smoke" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(refused.status()).toBe(403);
});
