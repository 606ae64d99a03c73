import { existsSync } from "node:fs";
import { chromium, expect, test } from "@playwright/test";
import { demoEmail, demoPassword } from "./support/constants";

/**
 * Issue 17: a cockpit opened at another address than FLIGHTDECK_BASE_URL (the machine's network address, say) used
 * to fail sign-in with "Check your connection" while the server logged Better Auth's "Invalid origin". Now the
 * answer, and the form, say which URL to open and name the variable.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const otherHost = "flightdeck-lan.test";
const otherOrigin = `http://${otherHost}:${port}`;

test("a sign-in POST from an untrusted Origin is refused with a 403 naming FLIGHTDECK_BASE_URL", async ({
  request,
}) => {
  const answer = await request.post("/api/auth/sign-in/email", {
    headers: { origin: otherOrigin },
    data: { email: demoEmail("lead"), password: demoPassword },
  });
  expect(answer.status()).toBe(403);
  const body = (await answer.json()) as { error: { message: string; reason: string } };
  expect(body.error.reason).toBe("untrusted_origin");
  expect(body.error.message).toContain(otherOrigin);
  expect(body.error.message).toContain(`FLIGHTDECK_BASE_URL=${otherOrigin}`);
});

test("the sign-in form opened at another address shows that message, not 'check your connection'", async () => {
  // Another host name for this loopback server, as a LAN address would be.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
    args: [`--host-resolver-rules=MAP ${otherHost} 127.0.0.1`],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${otherOrigin}/login`);
    await page.getByLabel("Email").fill(demoEmail("lead"));
    await page.getByLabel("Password").fill(demoPassword);
    await page.getByRole("button", { name: /sign in/i }).click();
    const alert = page.getByRole("form", { name: "Sign in to Flightdeck" }).getByRole("alert");
    await expect(alert).toContainText(`This page was opened at ${otherOrigin}`);
    await expect(alert).toContainText("FLIGHTDECK_BASE_URL");
    await expect(alert).not.toContainText(/connection/i);
    await expect(page).toHaveURL(/\/login/);
  } finally {
    await browser.close();
  }
});
