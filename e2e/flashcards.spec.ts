import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { api, bearer, signedInPage, tokenFor } from "./support/cockpit";

/**
 * The lead's queue on the demo: the support pack raises cards of several kinds by itself
 * (reply approvals, the SLA sweep's warning, a policy violation); a lead clears them by
 * keyboard only; operators and reviewers read them but cannot decide — and the server
 * refuses them even when they try.
 */
test.describe.configure({ mode: "serial" });

interface Card {
  id: string;
  kind: string;
  state: string;
  approvalId: string | null;
}

async function openCards(request: APIRequestContext, token: string): Promise<{ cards: Card[]; openCount: number }> {
  const response = await request.get("/api/flashcards?state=open&limit=200", { headers: bearer(token) });
  expect(response.status()).toBe(200);
  return (await response.json()) as { cards: Card[]; openCount: number };
}

test("the demo produces approval, SLA notice and policy cards within a minute", async () => {
  const request = await api();
  const token = await tokenFor(request, "reviewer");
  await expect
    .poll(
      async () => {
        const kinds = new Set((await openCards(request, token)).cards.map((c) => c.kind));
        return ["approval", "notice", "policy"].every((k) => kinds.has(k));
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe(true);
  await request.dispose();
});

test("an operator and a reviewer see the cards but cannot decide; the server refuses them anyway", async ({
  browser,
}) => {
  const request = await api();
  const leadToken = await tokenFor(request, "lead");
  const [first] = (await openCards(request, leadToken)).cards;
  if (!first) throw new Error("no open card");
  for (const role of ["operator", "reviewer"] as const) {
    const page = await signedInPage(browser, role);
    await page.goto("/flashcards");
    await expect(page.getByTestId("flashcard")).toBeVisible();
    await expect(page.getByText("Your role can read cards; leads and admins decide them.")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
    await page.keyboard.press("a");
    await page.keyboard.press("d");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    const token = await tokenFor(request, role);
    const refused = await request.post(`/api/flashcards/${first.id}/decision`, {
      headers: bearer(token),
      data: { decision: "dismiss" },
    });
    expect(refused.status()).toBe(403);
    await page.context().close();
  }
  const still = await request.get(`/api/flashcards/${first.id}`, { headers: bearer(leadToken) });
  expect(((await still.json()) as { card: Card }).card.state).toBe("open");
  await request.dispose();
});

test("a lead works a mixed queue by keyboard only, and the page passes axe", async ({ browser }) => {
  const request = await api();
  const token = await tokenFor(request, "lead");
  const page = await signedInPage(browser, "lead");
  await page.goto("/flashcards");
  const card = page.getByTestId("flashcard");
  await expect(card).toBeVisible();
  await expect(page.getByTestId("flashcards-count")).toBeVisible();
  await expect(page).toHaveTitle(/^\(\d+\) /);

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // J/K move through the queue.
  const position = page.getByTestId("queue-position");
  await expect(position).toHaveText(/^1 of \d+ open/);
  await page.keyboard.press("j");
  await expect(position).toHaveText(/^2 of \d+ open/);
  await page.keyboard.press("k");
  await expect(position).toHaveText(/^1 of \d+ open/);

  const decided: { kind: string; how: string }[] = [];
  const decidedIds: string[] = [];
  let rejected = false;
  let snoozed = false;
  for (let i = 0; i < 40; i++) {
    if ((await position.textContent())?.startsWith("Queue clear")) break;
    const shown = await card.getAttribute("data-card-id");
    const isApproval = (await page.getByRole("button", { name: /^Approve/ }).count()) > 0;
    if (isApproval && !rejected) {
      await page.keyboard.press("r");
      await expect(page.getByRole("dialog")).toBeVisible();
      await page.keyboard.type("Tone is off; re-draft it");
      await page.keyboard.press("Enter");
      rejected = true;
      decided.push({ kind: "approval", how: "reject" });
    } else if (!isApproval && !snoozed) {
      await page.keyboard.press("s");
      await expect(page.getByRole("dialog")).toBeVisible();
      await page.keyboard.press("1");
      snoozed = true;
      decided.push({ kind: "info", how: "snooze" });
    } else {
      await page.keyboard.press(isApproval ? "a" : "d");
      decided.push({ kind: isApproval ? "approval" : "info", how: isApproval ? "approve" : "dismiss" });
    }
    if (shown) decidedIds.push(shown);
    await expect(page.getByRole("dialog")).toHaveCount(0);
    // Automatic advance: the next card (or the empty queue) replaces the decided one.
    await expect
      .poll(async () => ((await card.count()) === 0 ? null : await card.getAttribute("data-card-id")), {
        timeout: 5_000,
      })
      .not.toBe(shown);
  }
  expect(decided.map((d) => d.how)).toEqual(expect.arrayContaining(["reject", "snooze", "approve", "dismiss"]));
  await expect(page.getByText("Nothing needs you right now")).toBeVisible({ timeout: 15_000 });
  // The server agrees: none of the cards the lead decided is still open. (The demo keeps working
  // meanwhile — a rejected reply is re-drafted and asks again — so new cards may arrive.)
  await expect
    .poll(
      async () => (await openCards(request, token)).cards.filter((c) => decidedIds.includes(c.id)).map((c) => c.id),
      {
        timeout: 10_000,
      },
    )
    .toEqual([]);
  expect(decidedIds.length).toBe(decided.length);

  // Every decision is audited with who and under what authorization.
  const audit = await request.get("/api/audit?action=approval.rejected&limit=5", { headers: bearer(token) });
  const events = ((await audit.json()) as { events: { actor: { label: string }; authorization: { role?: string } }[] })
    .events;
  expect(events[0]).toMatchObject({ actor: { label: "lead@flightdeck.local" }, authorization: { role: "lead" } });
  await page.context().close();
  await request.dispose();
});
