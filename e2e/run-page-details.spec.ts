import { expect, test } from "@playwright/test";
import { api, bearer, pendingApprovalOf, runState, signedInPage, startTriage, tokenFor } from "./support/cockpit";

/**
 * Run-page details a new operator was misled by: a finished run's deadline read as a
 * countdown ("in 52m"), and tool input labelled "redacted" while it (rightly, per the job's
 * declared data categories) showed the customer's address: only secrets are redacted.
 */
test("a finished run says whether it met its deadline, and tool input says only secrets are redacted", async ({
  browser,
}) => {
  const request = await api();
  const token = await tokenFor(request, "operator");
  let runId = "";
  await expect
    .poll(
      async () => {
        const response = await request.get("/api/runs?job=sla-sweep&state=succeeded&limit=200", {
          headers: bearer(token),
        });
        const body = (await response.json()) as { runs: { id: string }[] };
        // The demo's first sweep (the oldest): it found overdue tickets and notified. Later sweeps,
        // started by other specs after those tickets were answered, may find none and notify nobody.
        runId = body.runs.at(-1)?.id ?? "";
        return runId;
      },
      { timeout: 60_000 },
    )
    .not.toBe("");

  const page = await signedInPage(browser, "operator");
  await page.goto(`/runs/${runId}`);
  const deadline = page.locator("[data-deadline]");
  await expect(deadline).toHaveAttribute("data-deadline", "met");
  await expect(deadline).toContainText(/^Met, .+ to spare$/);

  const call = page
    .locator("li > details")
    .filter({ has: page.locator("summary code", { hasText: /^notify$/ }) })
    .first();
  await call.locator("summary").click();
  await expect(call.getByText("Input (secrets redacted)")).toBeVisible();
  await page.context().close();
  await request.dispose();
});

test("the run's audit tab shows each event's seq as a link to its proof and its time in full", async ({ browser }) => {
  const request = await api();
  const token = await tokenFor(request, "lead");
  const response = await request.get("/api/runs?job=sla-sweep&state=succeeded", { headers: bearer(token) });
  const [run] = ((await response.json()) as { runs: { id: string }[] }).runs;
  if (!run) throw new Error("no finished sla-sweep run");
  const page = await signedInPage(browser, "lead");
  await page.goto(`/runs/${run.id}`);
  await page.getByRole("tab", { name: /^Audit/ }).click();
  const first = page.getByRole("tabpanel").getByRole("row").nth(1);
  const seq = first.getByRole("link", { name: /^Audit event \d+/ });
  await expect(seq).toHaveAttribute("href", new RegExp(`^/audit\\?q=run%3A${run.id}&seq=\\d+$`));
  await expect(first.locator("[data-audit-time]")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC$/);
  await page.context().close();
  await request.dispose();
});

test("rejecting from the run page asks once more and says what it does; keeping it leaves the approval pending", async ({
  browser,
}) => {
  const request = await api();
  const operator = await tokenFor(request, "operator");
  const subject = `E2E reject confirm ${Date.now()}`;
  const runId = await startTriage(request, operator, subject);
  await expect.poll(async () => (await runState(request, operator, runId)).state, { timeout: 20_000 }).toBe("waiting");
  const page = await signedInPage(browser, "lead");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("heading", { name: "Waiting for a decision" })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Reject", exact: true }).click();
  const confirm = page.getByRole("group", { name: "Confirm the rejection" });
  await expect(confirm).toContainText("the tool call is not made");
  await confirm.getByRole("button", { name: "Keep it pending" }).click();
  await expect(confirm).toHaveCount(0);
  expect((await runState(request, operator, runId)).state).toBe("waiting");

  await page.getByRole("button", { name: "Reject", exact: true }).click();
  await page.getByRole("button", { name: "Confirm reject" }).click();
  const notice = page.locator("[data-sonner-toast]").filter({ hasText: /^Rejected/ });
  await expect(notice).toBeVisible();
  // A rejection is a warning, never a success toast.
  await expect(notice).toHaveAttribute("data-type", "warning");
  await page.context().close();
  await request.dispose();
});

test("a long unbroken model message wraps inside the timeline, and Decisions say what was decided, by whom and when", async ({
  browser,
}) => {
  const request = await api();
  const operator = await tokenFor(request, "operator");
  const lead = await tokenFor(request, "lead");
  // One token of 280 characters: the run input the model is shown, as a stored message.
  const subject = `Unbroken${"x".repeat(280)}`;
  const runId = await startTriage(request, operator, subject);
  const approval = await pendingApprovalOf(request, lead, runId);
  const decided = await request.post(`/api/approvals/${approval}/approve`, {
    headers: bearer(lead),
    data: { note: "Fine to send" },
  });
  expect(decided.status()).toBe(200);
  await expect
    .poll(async () => (await runState(request, operator, runId)).state, { timeout: 20_000 })
    .toBe("succeeded");

  const page = await signedInPage(browser, "operator");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("heading", { name: "Turn 1" })).toBeVisible();
  const overflowing = await page.evaluate(
    () => [...document.querySelectorAll("main p")].filter((p) => p.scrollWidth > p.clientWidth + 1).length,
  );
  expect(overflowing).toBe(0);
  // Nothing reaches past the page's right edge (the side column stays clear).
  const spilling = await page.locator("main").evaluate((m) => {
    const edge = m.getBoundingClientRect().right;
    return [...m.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > edge + 1 && el.children.length === 0)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? "").slice(0, 60)}`)
      .slice(0, 5);
  });
  expect(spilling).toEqual([]);

  const decision = page.locator('[data-decision="approved"]');
  await expect(decision).toContainText("the send_reply call");
  await expect(decision).toContainText(/by \S+ · \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC · “Fine to send”/);
  await page.context().close();
  await request.dispose();
});
