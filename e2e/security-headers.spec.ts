import { expect, test } from "@playwright/test";
import { signInAndWait } from "./support/auth";

/**
 * Issue 12, safe defaults: every page carries the security headers, and the cockpit runs
 * under its Content-Security-Policy without a single violation.
 */
test("pages carry the security headers and the cockpit passes its CSP", async ({ page, request }) => {
  const login = await request.get("/login");
  const headers = login.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  const violations: string[] = [];
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`csp-violation ${e.violatedDirective} ${e.blockedURI} on ${location.pathname}`),
    ),
  );
  page.on("console", (m) => {
    if (/csp-violation|Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await signInAndWait(page, "admin");
  for (const path of [
    "/runs",
    "/jobs",
    "/resources",
    "/audit",
    "/settings/users",
    "/settings/tokens",
    "/proof",
    "/api-reference",
  ]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  // The last page loads its renderer after hydration: wait until it has drawn the document.
  await expect(page.locator("openapi-explorer").getByText("Flightdeck API").first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("a path with malformed percent-encoding is a 400, not a 500", async ({ request }) => {
  for (const path of ["/api/runs/%FF", "/api/runs/%", "/api/runs/%ED%A0%80"]) {
    expect((await request.get(path)).status(), path).toBe(400);
  }
});
