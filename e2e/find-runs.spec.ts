import { expect, test } from "@playwright/test";
import { api, shortId, signedInPage, startTriage, tokenFor } from "./support/cockpit";

/** Ctrl-K from any page finds a run by its ticket subject or its short id and opens it. */
test("the command palette finds a run by its subject and by its short id, and opens it", async ({ browser }) => {
  const request = await api();
  const token = await tokenFor(request, "operator");
  const subject = `Palette refund ${Date.now()}`;
  const runId = await startTriage(request, token, subject);
  const page = await signedInPage(browser, "operator");
  await page.goto("/jobs");

  await page.keyboard.press("Control+k");
  const palette = page.getByRole("dialog", { name: "Find runs, jobs and pages" });
  await expect(palette).toBeVisible();
  await palette.getByRole("combobox").fill(subject);
  const hit = palette.getByRole("option").filter({ hasText: subject });
  await expect(hit).toBeVisible();
  await expect(hit).toContainText("Triage support ticket");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(subject);

  // The header button opens it too; a short id finds the same run.
  await page.getByRole("button", { name: "Find runs, jobs and pages" }).click();
  await palette.getByRole("combobox").fill(shortId(runId));
  await expect(palette.getByRole("option").filter({ hasText: subject })).toBeVisible();
  await palette.getByRole("combobox").fill("Flashc");
  await palette.getByRole("option", { name: "Flashcards" }).click();
  await expect(page).toHaveURL(/\/flashcards/);
  await page.context().close();
  await request.dispose();
});
