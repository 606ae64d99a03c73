import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { api, bearer, pendingApprovalOf, runState, signedInPage, startTriage, tokenFor } from "./support/cockpit";

/**
 * The compliance reviewer's questions answered in the UI alone: who authorized run X and
 * what did it touch, is the log intact, and evidence that verifies without us (and a
 * tampered copy that does not).
 */
test.describe.configure({ mode: "serial" });

const exec = promisify(execFile);
let request: APIRequestContext;
let runId: string;

test.beforeAll(async () => {
  request = await api();
  const operator = await tokenFor(request, "operator");
  const lead = await tokenFor(request, "lead");
  runId = await startTriage(request, operator, `E2E compliance ${Date.now()}`);
  const approval = await pendingApprovalOf(request, lead, runId);
  const decided = await request.post(`/api/approvals/${approval}/approve`, {
    headers: bearer(lead),
    data: { note: "Checked by compliance e2e" },
  });
  expect(decided.status(), await decided.text()).toBe(200);
  await expect
    .poll(async () => (await runState(request, operator, runId)).state, { timeout: 20_000 })
    .toBe("succeeded");
});

test.afterAll(async () => {
  await request.dispose();
});

test("a reviewer sees who authorized a run and what it touched, and checks an event's proof in the browser", async ({
  browser,
}) => {
  const page = await signedInPage(browser, "reviewer");
  await page.goto(`/runs/${runId}`);
  const panel = page.getByRole("region", { name: "Who authorized this" });
  await expect(panel).toContainText("authorized by jane.doe@acme.example");
  await expect(panel).toContainText("manual by");
  await expect(panel).toContainText(/approved — .* \(lead\)/);
  await expect(panel).toContainText("Checked by compliance e2e");
  await expect(panel.getByRole("list", { name: "Tool calls and their authorization" })).toContainText(
    "send_reply succeeded",
  );
  await expect(panel).toContainText("approved by");
  // What it touched names the customer record (each e2e triage run has a customer of its own).
  await expect(panel).toContainText(/customer=e2e-[0-9]+-[a-z0-9]+@example\.com/);

  // Each lineage line links to its sealed event; the explorer opens it and checks its proof here, in the browser.
  await panel
    .getByRole("list", { name: "Tool calls and their authorization" })
    .getByRole("link", { name: /^#\d+$/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/audit\?q=run/);
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByTestId("proof-result")).toContainText(
    /Verified in your browser: event #\d+ is in the signed log of \d+ events/,
    { timeout: 15_000 },
  );
  await expect(drawer).toContainText("Who authorized this");
  await page.keyboard.press("Escape");

  // The explorer: a bad query names the failing term and suggests the key.
  await page.getByLabel("Query", { exact: true }).fill("acion:run.*");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Unknown key" })).toContainText("did you mean action:");
  await page.getByLabel("Query", { exact: true }).fill(`run:${runId.slice(0, 8)} action:tool.*`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`q=run%3A${runId.slice(0, 8)}`));
  await expect(page.locator("[data-audit-row]").first()).toContainText("tool.called");
  await expect(page.getByRole("region", { name: "Counts by run" })).toContainText(runId.slice(0, 8));
  await page.context().close();
});

test("a reviewer verifies the log and exports a bundle the offline verifier accepts; a tampered copy is refused", async ({
  browser,
}) => {
  const page = await signedInPage(browser, "reviewer");
  await page.goto(`/audit?q=${encodeURIComponent(`run:${runId}`)}`);
  await page.getByRole("button", { name: "Verify log" }).click();
  await expect(page.getByTestId("verify-result")).toContainText(/The log is intact: [\d,]+ events checked/, {
    timeout: 30_000,
  });

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Evidence bundle" }).click();
  const dir = await mkdtemp(path.join(tmpdir(), "fd-e2e-bundle-"));
  const file = path.join(dir, "bundle.jsonl");
  await (await download).saveAs(file);
  const env = { PATH: process.env.PATH ?? "", NODE_ENV: "production" as const };
  const ok = await exec("npx", ["tsx", "--conditions=react-server", "server/audit-verify-bundle.ts", file], { env });
  expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });

  const lines = (await readFile(file, "utf8")).split("\n");
  const at = lines.findIndex((l) => l.includes('"type":"event"') && l.includes('"send_reply"'));
  expect(at).toBeGreaterThan(0);
  const rec = JSON.parse(lines[at] as string) as { seq: number; event: { actor: { label: string } } };
  rec.event.actor.label = "someone-else@acme.example";
  lines[at] = JSON.stringify(rec);
  const tampered = path.join(dir, "tampered.jsonl");
  await writeFile(tampered, lines.join("\n"));
  const refused = await exec("npx", ["tsx", "--conditions=react-server", "server/audit-verify-bundle.ts", tampered], {
    env,
  }).then(
    () => ({ code: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`event seq ${rec.seq} was altered`);
  await page.context().close();
});

test("the governance register answers what the fleet does, for reviewers", async ({ browser }) => {
  const page = await signedInPage(browser, "reviewer");
  await page.goto("/governance");
  const table = page.getByRole("table", { name: "Governance register" });
  await expect(table).toContainText("Triage support ticket");
  await expect(table).toContainText("send_reply");
  await page.getByRole("navigation", { name: "Filters" }).getByRole("link", { name: "operator-notification" }).click();
  // Header + the two jobs that notify operators: the support pack's sla-sweep and the playground's sandbox-agent.
  await expect(table.getByRole("row")).toHaveCount(3);
  await expect(table).toContainText("sla-sweep");
  await page.context().close();
});
