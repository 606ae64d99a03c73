import { expect, test } from "@playwright/test";
import { api, runState, shortId, signedInPage, startTriage, tokenFor } from "./support/cockpit";

/** The list view: find by words, sort, select runs and control them together, export CSV. */
test("the list view filters by subject, pauses selected runs in bulk naming the refusals, and exports CSV", async ({
  browser,
}) => {
  const request = await api();
  const token = await tokenFor(request, "operator");
  const tag = `Bulk ${Date.now()}`;
  const a = await startTriage(request, token, `${tag} A`);
  const b = await startTriage(request, token, `${tag} B`);
  for (const id of [a, b])
    await expect.poll(async () => (await runState(request, token, id)).state, { timeout: 20_000 }).toBe("waiting");

  const page = await signedInPage(browser, "operator");
  await page.goto("/runs");
  await page.getByRole("navigation", { name: "Runs view" }).getByRole("link", { name: "List" }).click();
  await expect(page).toHaveURL(/\/runs\/list/);
  await page.getByRole("searchbox", { name: "Search" }).fill(tag);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(tag).replace(/%20/g, "(\\+|%20)")}`));
  const table = page.getByRole("table", { name: "Runs" });
  await expect(table.locator("[data-run-row]")).toHaveCount(2);
  await expect(page.getByText("1–2 of 2 runs")).toBeVisible();

  // Pause A alone first, so the bulk pause of both refuses A and says why.
  await page.getByRole("checkbox", { name: `Select run ${shortId(a)}` }).click();
  await page
    .getByRole("toolbar", { name: "Bulk controls" })
    .getByRole("button", { name: /^Pause/ })
    .click();
  await expect.poll(async () => (await runState(request, token, a)).state).toBe("paused");
  await page.getByRole("checkbox", { name: "Select every run on this page" }).click();
  await page
    .getByRole("toolbar", { name: "Bulk controls" })
    .getByRole("button", { name: /^Pause/ })
    .click();
  const refusal = page.getByRole("alert").filter({ hasText: "Pause refused for 1 run" });
  await expect(refusal).toContainText(shortId(a));
  await expect(refusal).toContainText("Cannot pause a run that is paused");
  await expect.poll(async () => (await runState(request, token, b)).state).toBe("paused");

  // Sorting by a column puts it in the URL and marks the header.
  await page
    .getByRole("columnheader", { name: /Tokens/ })
    .getByRole("link")
    .click();
  await expect(page).toHaveURL(/sort=tokens/);
  await expect(page.getByRole("columnheader", { name: /Tokens/ })).toHaveAttribute("aria-sort", "descending");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
  expect(text.split("\r\n")[0]).toMatch(/^id,title,job,state,/);
  expect(text).toContain(`${tag} A`);
  expect(text).toContain(`${tag} B`);
  await page.context().close();
  await request.dispose();
});

test("the board's Done column (its last day) leads to every older finished run in the list", async ({ browser }) => {
  const page = await signedInPage(browser, "operator");
  await page.goto("/runs");
  await page.locator('[data-column="done"]').getByRole("link", { name: "Older finished runs in the list" }).click();
  await expect(page).toHaveURL(/\/runs\/list\?state=succeeded(,|%2C)cancelled&range=30d/);
  await expect(page.getByRole("combobox", { name: "Created" })).toHaveValue("30d");
  await expect(page.getByRole("table", { name: "Runs" })).toBeVisible();
  await page.context().close();
});
