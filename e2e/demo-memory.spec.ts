import { expect, test } from "@playwright/test";
import { api, bearer, boardReady, card, column, signedInPage, tokenFor } from "./support/cockpit";

/**
 * The shared-memory demo on the embedded install: Ada has two open tickets, so one triage
 * run holds the lock on customers/ada@lovelace.example (waiting for a lead's approval) and the
 * other waits for that lock — both visible on the board; the customer's entity page answers
 * which run changed it, when and under whose authority, and a lead can undo it.
 * Named to run before flashcards.spec.ts (files run in name order on one worker): that spec's
 * lead works the demo's queue, which approves Ada's held reply and so releases her lock.
 */
const entity = "customers/ada@lovelace.example";

test("two triage runs for one customer wait on the lock; the entity page attributes and undoes a write", async ({
  browser,
}) => {
  const request = await api();
  const token = await tokenFor(request, "lead");
  let holder = "";
  let waiter = "";
  await expect(async () => {
    const response = await request.get(`/api/locks?entity=${encodeURIComponent(entity)}`, { headers: bearer(token) });
    const body = (await response.json()) as { locks: { runId: string; status: string; runState: string }[] };
    holder = body.locks.find((l) => l.status === "held")?.runId ?? "";
    waiter = body.locks.find((l) => l.status === "waiting" && l.runState === "waiting")?.runId ?? "";
    expect(holder).not.toBe("");
    expect(waiter).not.toBe("");
  }).toPass({ timeout: 30_000 });
  // The holder wrote the customer's memory before stopping for approval.
  await expect(async () => {
    const response = await request.get(`/api/memory/${entity}`, { headers: bearer(token) });
    expect(response.status()).toBe(200);
  }).toPass({ timeout: 30_000 });

  const page = await signedInPage(browser, "lead");
  await page.goto("/runs");
  await boardReady(page);
  const waiting = column(page, "waiting");
  await expect(waiting.locator(`[data-run-card="${waiter}"]`)).toContainText(`Waiting for lock ${entity}`);
  await expect(card(page, holder)).toContainText("Needs approval");

  await page.goto(`/memory/${entity}`);
  const history = page.getByRole("list", { name: "History" });
  await expect(history).toContainText("of triage-ticket");
  await expect(history).toContainText("under the job's authorization by jane.doe@acme.example");
  await expect(page.getByRole("table", { name: "Locks" })).toContainText("waiting");
  await history.getByRole("button", { name: "Undo" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("list", { name: "Revert preview" })).toContainText(entity);
  await expect(dialog).toContainText("will be restored");
  await dialog.getByRole("button", { name: /Revert \d+ write/ }).click();
  await expect(page.getByText(/Reverted \d+ write\(s\)/)).toBeVisible();
  await expect(history).toContainText("lead@flightdeck.local reverted the writes of run");
  await page.context().close();
  await request.dispose();
});
