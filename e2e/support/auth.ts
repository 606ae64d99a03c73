import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { demoEmail, demoPassword, e2eAdminToken, type DemoRole } from "./constants";

/** Signs in through the real /login form, as a person would. */
export async function signIn(page: Page, role: DemoRole, password = demoPassword): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(demoEmail(role));
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
}

export async function signInAndWait(page: Page, role: DemoRole): Promise<void> {
  await signIn(page, role);
  await expect(page).toHaveURL(/\/runs/);
}

/** Creates an API token of a role through the API with the bootstrap admin token. */
export async function createToken(request: APIRequestContext, role: DemoRole): Promise<string> {
  const response = await request.post("/api/tokens", {
    headers: { authorization: `Bearer ${e2eAdminToken}` },
    data: { name: `e2e-${role}-${Date.now()}`, role },
  });
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { token: string };
  return body.token;
}
