import { expect, test } from "@playwright/test";
import { signIn, signInAndWait } from "./support/auth";
import { demoEmail, demoRoles } from "./support/constants";

const areas = ["Runs", "Jobs", "Audit", "Flashcards", "Resources"];

for (const role of demoRoles) {
  test(`the demo ${role} signs in and sees the cockpit shell`, async ({ page }) => {
    await signInAndWait(page, role);
    const nav = page.getByRole("navigation", { name: /main/i });
    for (const area of areas) await expect(nav.getByRole("link", { name: area })).toBeVisible();
    await expect(page.getByText(demoEmail(role))).toBeVisible();
    await expect(page.getByText(/demo users/i).first()).toBeVisible();
    for (const area of areas) {
      await nav.getByRole("link", { name: area }).click();
      await expect(page).toHaveURL(new RegExp(`/${area.toLowerCase()}`));
      await expect(page.getByRole("heading", { level: 1, name: area })).toBeVisible();
    }
  });
}

test("a wrong password is refused without saying which part was wrong", async ({ page }) => {
  await signIn(page, "operator", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText(/invalid email or password/i);
  await expect(page).toHaveURL(/\/login/);
});

test("an unknown email gets the same answer as a wrong password", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("nobody@flightdeck.local");
  await page.getByLabel("Password").fill("whatever-password");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page.getByRole("alert")).toHaveText(/invalid email or password/i);
});

test("a signed-out visitor is sent to /login and back after signing in", async ({ page }) => {
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(demoEmail("lead"));
  await page.getByLabel("Password").fill("flightdeck-demo");
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
