import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

/** The Debian Chromium when present (Playwright's own download is not reachable in CI). */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

import { e2eAdminToken } from "./e2e/support/constants";

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-gpu",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    // The server drains and exits, and its data directory goes with it (scripts/e2e-server.mjs).
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      E2E_PORT: String(port),
      FLIGHTDECK_ADMIN_TOKEN: e2eAdminToken,
      FLIGHTDECK_BASE_URL: baseURL,
      FLIGHTDECK_DEMO_PASSWORD: "flightdeck-demo",
      FLIGHTDECK_POLL_INTERVAL_MS: "250",
      // Tests want instant, deterministic answers: the demo runs unpaced (docs/OPERATIONS.md).
      FLIGHTDECK_DEMO_PACE: "false",
    },
  },
});
