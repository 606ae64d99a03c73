import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import { completion, startOpenAiLoopback, type Loopback } from "../lib/proof/openai-loopback";
import { signInAndWait } from "./support/auth";
import { demoPassword, e2eAdminToken } from "./support/constants";

/**
 * Issue 10: a run held back by a full model endpoint shows where it stands in that endpoint's
 * queue, on its card and its page, and the position moves as the queue drains. The suite's own
 * server answers instantly, so this spec starts a second one (same build, fresh embedded
 * database) whose `default` endpoint has one slot and is a loopback OpenAI-protocol model that
 * holds every answer for this spec's runs until the test lets it go.
 */
const marker = "queue-e2e";
const key = "e2e-queue.example";

let server: ChildProcess | null = null;
let model: Loopback;
let api: APIRequestContext;
let page: Page;
/** Answers held back, oldest first: each call lets one model request finish. */
const held: (() => void)[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  model = await startOpenAiLoopback(
    (body) =>
      new Promise((resolve) => {
        const answer = () => resolve(completion({ content: "Done." }));
        // The demo's own runs on this server are answered at once; only this spec's wait.
        if (JSON.stringify(body.messages).includes(marker)) held.push(answer);
        else answer();
      }),
  );
  // A port the system has just handed out and taken back: nothing else of this run listens on it.
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      E2E_PORT: String(port),
      FLIGHTDECK_ADMIN_TOKEN: e2eAdminToken,
      FLIGHTDECK_BASE_URL: baseURL,
      FLIGHTDECK_DEMO_PASSWORD: demoPassword,
      FLIGHTDECK_POLL_INTERVAL_MS: "250",
      FLIGHTDECK_DEMO_PACE: "false",
      FLIGHTDECK_LOG_LEVEL: "warn",
      FLIGHTDECK_MODEL_ENDPOINTS: JSON.stringify({
        default: { provider: "openai-compatible", baseUrl: model.baseUrl, model: "held-loopback", maxConcurrency: 1 },
      }),
    },
  });
  const exited = new Promise<number | null>((resolve) => server?.once("exit", resolve));
  api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${e2eAdminToken}` } });
  const healthy = expect
    .poll(async () => (await api.get("/api/health").catch(() => null))?.status() ?? 0, { timeout: 150_000 })
    .toBe(200);
  // A server that dies while starting fails the spec at once, with its exit code.
  await Promise.race([
    healthy,
    exited.then((code) => {
      throw new Error(`the second server exited with code ${code} before it was healthy`);
    }),
  ]);
  // The demo's runs go through the one slot first; the queue is this spec's once they are done.
  await expect.poll(async () => (await runsIn("queued,running")).length, { timeout: 60_000, intervals: [500] }).toBe(0);
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  await signInAndWait(page, "operator");
});

test.afterAll(async () => {
  for (const answer of held.splice(0)) answer();
  await page?.context().close();
  await api?.dispose();
  if (server?.pid && server.exitCode === null && server.signalCode === null) {
    const pid = server.pid;
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name);
      } catch {
        // Already gone.
      }
    };
    signal("SIGTERM");
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
    ]);
    if (!stopped) signal("SIGKILL");
  }
  await model?.close();
});

async function runsIn(states: string): Promise<{ id: string; state: string }[]> {
  const response = await api.get(`/api/runs?state=${states}&limit=200`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { runs: { id: string; state: string }[] }).runs;
}

async function startRun(task: string): Promise<string> {
  const response = await api.post("/api/runs", {
    data: { jobId: "sandbox-agent", input: { task: `${marker}: ${task}` }, fairShareKey: key },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const card = (runId: string) => page.locator(`[data-run-card="${runId}"]`);

test("runs behind a full endpoint show their place in its queue on the board and the run page, and move up as it drains", async () => {
  test.setTimeout(120_000);
  const first = await startRun("first");
  // The first run holds the endpoint's one slot until its answer is let go.
  await expect.poll(() => held.length, { timeout: 30_000 }).toBe(1);
  const second = await startRun("second");
  const third = await startRun("third");

  // The run page of the third says where it stands, with the reason the runtime recorded.
  await page.goto(`/runs/${third}`);
  const waitingFor = page.locator("[data-queue-position]");
  await expect(waitingFor).toContainText("resource:default", { timeout: 20_000 });
  await expect(waitingFor).toContainText("2nd for default");

  await page.goto("/runs");
  await expect(card(second)).toContainText("Waiting: 1st for default", { timeout: 20_000 });
  await expect(card(third)).toContainText("Waiting: 2nd for default");
  // The run holding the slot is on the board and says nothing of a queue.
  await expect(card(first)).toBeVisible();
  await expect(card(first)).not.toContainText("Waiting:");

  // The first answer arrives: the slot goes to the second run, and the third moves up — on the open board,
  // which asks for positions again every two seconds.
  held.shift()?.();
  await expect.poll(() => held.length, { timeout: 30_000 }).toBe(1);
  await expect(card(third)).toContainText("Waiting: 1st for default", { timeout: 20_000 });
  await expect(card(second)).toBeVisible();
  await expect(card(second)).not.toContainText("Waiting:");

  // Everything drains: the runs succeed and no card waits any more.
  held.shift()?.();
  await expect.poll(() => held.length, { timeout: 30_000 }).toBe(1);
  held.shift()?.();
  await expect
    .poll(async () => (await runsIn("succeeded")).filter((r) => [first, second, third].includes(r.id)).length, {
      timeout: 30_000,
    })
    .toBe(3);
  await expect(card(third)).toHaveAttribute("data-state", "succeeded", { timeout: 20_000 });
  await expect(card(third)).not.toContainText("Waiting:");
});

/** A loopback port free at this moment (the second server takes it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
