import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { api, bearer, signedInPage, tokenFor } from "./support/cockpit";

/** The registry journey: every job with its governance; "Run now" validated in the browser and on the server. */
test.describe.configure({ mode: "serial" });

let page: Page;
let request: APIRequestContext;
let operatorToken: string;

test.beforeAll(async ({ browser }) => {
  request = await api();
  operatorToken = await tokenFor(request, "operator");
  page = await signedInPage(browser, "operator");
});

test.afterAll(async () => {
  await page.context().close();
  await request.dispose();
});

/** Triage runs so far (only this suite creates them while it runs). */
async function triageRuns(): Promise<number> {
  const response = await request.get("/api/runs?job=triage-ticket&limit=200", { headers: bearer(operatorToken) });
  return ((await response.json()) as { runs: unknown[] }).runs.length;
}

test("the registry lists every job with owner, risk, oversight, data categories and triggers", async () => {
  await page.goto("/jobs");
  const table = page.getByRole("table");
  for (const title of ["Triage support ticket", "Nightly SLA sweep", "Refresh help-center articles"]) {
    await expect(table.getByRole("link", { name: title })).toBeVisible();
  }
  const triage = table.getByRole("row").filter({ hasText: "Triage support ticket" });
  await expect(triage).toContainText("support-platform@acme.example");
  await expect(triage).toContainText("Limited risk");
  await expect(triage).toContainText("Approve tools");
  await expect(triage).toContainText("customer-contact");
  await expect(triage).toContainText("ticket.created");
  // A cron job says when it fires in words (the expression on hover) and when it fires next.
  const sweep = table.getByRole("row").filter({ hasText: "Nightly SLA sweep" });
  await expect(sweep).toContainText(/At 02:00\s*next in/);
  await expect(sweep.locator("[data-cron]")).toHaveAttribute("title", "0 2 * * * (Europe/Berlin)");
  await expect(table.getByRole("row").filter({ hasText: "Refresh help-center articles" })).toContainText(
    "At 03:00, only on Monday",
  );
});

test("a job's page shows triggers, run stats and version history", async () => {
  await page.goto("/jobs/sla-sweep");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Nightly SLA sweep");
  await expect(page.locator("[data-cron]")).toHaveText("At 02:00");
  await expect(page.getByText("0 2 * * * · Europe/Berlin")).toBeVisible();
  await expect(page.getByText(/next fire/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Runs, last 30 days" })).toBeVisible();
  await expect(page.getByText("Success rate")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Version history" })).toBeVisible();
  await expect(page.getByText("Current")).toBeVisible();
});

test("Run now refuses invalid input in the browser, then on the server, and starts a run with valid input", async () => {
  await page.goto("/jobs/triage-ticket");
  await page.getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: /run “triage support ticket” now/i });
  await expect(dialog).toBeVisible();
  const subject = `E2E run now ${Date.now()}`;
  const before = await triageRuns();

  // Browser check: a malformed email never leaves the page.
  await dialog.getByLabel("Subject").fill(subject);
  await dialog.getByLabel("Body").fill("The export button does nothing.");
  await dialog.getByLabel("Customer").fill("not-an-email");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog.getByText("Enter a valid email address")).toBeVisible();
  await expect(dialog.getByLabel("Customer")).toHaveAttribute("aria-invalid", "true");

  // Server check: blank-but-not-empty passes the JSON Schema, the job's zod schema trims and refuses it.
  await dialog.getByLabel("Customer").fill("grace@hopper.example");
  await dialog.getByLabel("Body").fill("   ");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog.getByRole("alert")).toContainText(/the server refused the input/i);
  await expect(dialog.getByText("Required")).toBeVisible();
  expect(await triageRuns()).toBe(before);

  await dialog.getByLabel("Body").fill("The export button does nothing.");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/run started|run created/i)).toBeVisible();
  await expect.poll(() => triageRuns()).toBe(before + 1);
  await page.getByRole("button", { name: "Open run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(subject);
});

test("the API refuses invalid input with the field issues, as the dialog showed", async () => {
  const response = await request.post("/api/runs", {
    headers: bearer(operatorToken),
    data: { jobId: "triage-ticket", input: { subject: "x", body: "y", customer: "nope" } },
  });
  expect(response.status()).toBe(400);
  const body = (await response.json()) as { error: { issues: { path: string[] }[] } };
  expect(body.error.issues.map((i) => i.path.join("."))).toContain("customer");
});
