import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { api, bearer, signedInPage, tokenFor } from "./support/cockpit";

/** The arbitration view: keys with their weights and shares; an admin edits a weight (audited, also via the API). */
test.describe.configure({ mode: "serial" });

let admin: Page;
let request: APIRequestContext;
let adminToken: string;

test.beforeAll(async ({ browser }) => {
  request = await api();
  adminToken = await tokenFor(request, "admin");
  admin = await signedInPage(browser, "admin");
});

test.afterAll(async () => {
  await admin.context().close();
  await request.dispose();
});

test("a key's weight can be set ahead of traffic and shows on the Resources page; the admin edits it there", async () => {
  const set = await request.put("/api/scheduling/keys/e2e-tenant.example", {
    headers: bearer(adminToken),
    data: { weight: 4 },
  });
  expect(set.status()).toBe(200);
  const bad = await request.put("/api/scheduling/keys/e2e-tenant.example", {
    headers: bearer(adminToken),
    data: { weight: 0 },
  });
  expect(bad.status()).toBe(400);

  await admin.goto("/resources");
  await expect(admin.getByRole("heading", { name: "Fair share" })).toBeVisible();
  const row = admin.locator('[data-scheduling-keys] tr[data-key="e2e-tenant.example"]');
  await expect(row).toBeVisible();
  const input = row.getByLabel("Weight of e2e-tenant.example");
  await expect(input).toHaveValue("4");
  await input.fill("2.5");
  await row.getByRole("button", { name: "Set" }).click();
  await expect(admin.getByText("Weight of e2e-tenant.example set to 2.5")).toBeVisible();
  const listed = await request.get("/api/scheduling", { headers: bearer(adminToken) });
  const keys = ((await listed.json()) as { keys: { key: string; weight: number; weightSource: string }[] }).keys;
  expect(keys.find((k) => k.key === "e2e-tenant.example")).toMatchObject({ weight: 2.5, weightSource: "admin" });
  // Each chart has its numbers behind it as a table.
  await expect(admin.locator('section[aria-labelledby="arbitration-heading"]').getByText("Show as table")).toHaveCount(
    3,
  );
});
