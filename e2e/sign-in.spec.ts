import { expect, test, type Page } from "@playwright/test";
import { roleAllows, type Permission } from "../lib/auth/policy";
import { signIn, signInAndWait } from "./support/auth";
import { demoEmail, demoRoles, demoPassword } from "./support/constants";

const areas: { name: string; permission: Permission }[] = [
  { name: "Runs", permission: "runs.read" },
  { name: "Jobs", permission: "jobs.read" },
  { name: "Audit", permission: "audit.read" },
  { name: "Flashcards", permission: "flashcards.read" },
  { name: "Resources", permission: "resources.read" },
];

for (const role of demoRoles) {
  test(`the demo ${role} signs in and sees the cockpit shell`, async ({ page }) => {
    await signInAndWait(page, role);
    await expect(page.locator("header").getByText(demoEmail(role))).toBeVisible();
    await expect(page.getByText(/demo users/i).first()).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const area of areas) {
      const link = nav.getByRole("link", { name: area.name });
      if (!roleAllows(role, area.permission)) {
        await expect(link).toHaveCount(0);
        continue;
      }
      await link.click();
      await expect(page).toHaveURL(new RegExp(`/${area.name.toLowerCase()}`));
      await expect(page.getByRole("heading", { level: 1, name: area.name })).toBeVisible();
    }
  });
}

const signInAlert = (page: Page) => page.getByRole("form", { name: /sign in/i }).getByRole("alert");

test("a wrong password is refused without saying which part was wrong", async ({ page }) => {
  await signIn(page, "operator", "not-the-password");
  await expect(signInAlert(page)).toHaveText(/invalid email or password/i);
  await expect(page).toHaveURL(/\/login/);
});

test("an unknown email gets the same answer as a wrong password", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("nobody@flightdeck.local");
  await page.getByLabel("Password").fill("whatever-password");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(signInAlert(page)).toHaveText(/invalid email or password/i);
});

test("a signed-out visitor is sent to /login and back after signing in", async ({ page }) => {
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(demoEmail("lead"));
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).toHaveURL(/\/jobs/);
});

test("signing out ends the session", async ({ page }) => {
  await signInAndWait(page, "reviewer");
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/login/);
});
