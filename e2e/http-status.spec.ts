import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { api, bearer, signedInPage, tokenFor } from "./support/cockpit";

/**
 * Pages answer with the status they show (issue 17): an unknown address or id is a 404 and a page the role may not
 * open is a 403 — also under a loading.tsx, whose streamed answer used to send 200 before the page decided.
 */
test("unknown pages, run ids and job ids answer 404 with the not-found page", async ({ browser }) => {
  const page = await signedInPage(browser, "operator");

  for (const path of [`/runs/${randomUUID()}`, "/runs/not-a-run", "/jobs/no-such-job"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    // Inside the shell: the cockpit's not-found state, with the navigation still there.
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go to runs" })).toBeVisible();
  }

  const unknown = await page.goto("/no-such-page");
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.context().close();
});

test("a known run and job still answer 200", async ({ browser }) => {
  const request = await api();
  const token = await tokenFor(request, "operator");
  const runs = await request.get("/api/runs?limit=1", { headers: bearer(token) });
  const runId = ((await runs.json()) as { runs: { id: string }[] }).runs[0]?.id;
  expect(runId, "the support demo starts runs").toBeTruthy();
  await request.dispose();

  const page = await signedInPage(browser, "operator");
  expect((await page.goto(`/runs/${runId}`))?.status()).toBe(200);
  await expect(page.getByRole("tab", { name: /Timeline/ })).toBeVisible();
  expect((await page.goto("/jobs/sandbox-agent"))?.status()).toBe(200);
  await page.context().close();
});

test("a page the role may not open answers 403 and says which roles may", async ({ browser }) => {
  const operator = await signedInPage(browser, "operator");
  // /audit streams under a loading boundary; its layout decides the 403 before that.
  const audit = await operator.goto("/audit");
  expect(audit?.status()).toBe(403);
  await expect(operator.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(operator.getByText("It is available to the admin, reviewer and lead roles")).toBeVisible();
  await operator.context().close();

  const reviewer = await signedInPage(browser, "reviewer");
  const users = await reviewer.goto("/settings/users");
  expect(users?.status()).toBe(403);
  await expect(reviewer.getByText("Your role can't open Users. It is available to the admin role.")).toBeVisible();
  // The same page for a role that may open it.
  expect((await reviewer.goto("/audit"))?.status()).toBe(200);
  await reviewer.context().close();
});
