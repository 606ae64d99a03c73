/**
 * The /flashcards page in Chromium with N open cards (default 10,000): navigation → first card painted, →
 * hydrated (keys work), and decision → next card on screen (optimistic) → confirmed by the server.
 *
 *   npx tsx --conditions=react-server bench/flashcards/page.ts [--cards=10000] [--loads=5] [--decisions=20] [--port=3213]
 *
 * Seeds a fresh embedded database, starts the production build on it (runtime off, no demo), signs the browser
 * in with a bootstrap admin token, and prints JSON. Builds first when the build is stale.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { sql } from "drizzle-orm";
import { openPglite } from "@/db/client";
import { runMigrations } from "@/db/migrate";

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split("=")[1]) : fallback;
};
const cards = arg("cards", 10_000);
const loads = arg("loads", 5);
const decisions = arg("decisions", 20);
const port = arg("port", 3213);
const root = path.resolve(import.meta.dirname, "..", "..");
const token = `flashcards-page-bench-${Date.now()}-0123456789`;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: Math.round(q(0.5)), p95: Math.round(q(0.95)), max: Math.round(sorted.at(-1) ?? 0), n: sorted.length };
}

async function main() {
  const built = spawnSync("node", ["-e", "import('./scripts/lib/ensure-build.mjs').then((m) => m.ensureBuilt())"], {
    cwd: root,
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("build failed");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "flightdeck-fcpage-"));
  const handle = await openPglite(path.join(dataDir, "pglite"));
  await runMigrations(handle);
  await handle.db.execute(sql`
    insert into flashcards (id, fingerprint, kind, severity, title, why, job_id, details, first_seen_at, last_seen_at)
    select 'fc_seed_' || g, 'seed:' || g, (array['budget','failures','policy','stuck','anomaly','notice'])[1 + g % 6],
      (array['info','warning','critical'])[1 + g % 3], 'Seeded card ' || g, 'A seeded card for the benchmark.',
      'job-' || (g % 40), jsonb_build_object('n', g), now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
    from generate_series(1, ${cards}) as g`);
  await handle.close();

  const server = spawn("npx", ["next", "start", "-p", String(port)], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: "",
      FLIGHTDECK_DATA_DIR: dataDir,
      FLIGHTDECK_EMBEDDED_RUNTIME: "false",
      FLIGHTDECK_SEED_DEMO: "false",
      FLIGHTDECK_ADMIN_TOKEN: token,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (i > 480) throw new Error("server did not start");
      const ok = await fetch(`${base}/api/flashcards?limit=1`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--disable-gpu"],
    });
    const context = await browser.newContext({
      baseURL: base,
      viewport: { width: 1440, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    const painted: number[] = [];
    const hydrated: number[] = [];
    const firstByte: number[] = [];
    for (let i = 0; i <= loads; i++) {
      const page = await context.newPage();
      await page.goto("/flashcards", { waitUntil: "commit" });
      const at = async (selector: string) =>
        (
          await page.waitForFunction((s) => (document.querySelector(s) ? performance.now() : 0), selector, {
            polling: "raf",
            timeout: 60_000,
          })
        ).jsonValue();
      const p = await at("[data-testid=flashcard]");
      const h = await at('[data-flashcards-ready="true"]');
      if (i > 0) {
        painted.push(p);
        hydrated.push(h);
        firstByte.push(
          await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.toJSON().responseStart ?? 0),
        );
      }
      await page.close();
    }
    const page = await context.newPage();
    await page.goto("/flashcards");
    await page.waitForSelector('[data-flashcards-ready="true"]');
    const next: number[] = [];
    const confirmed: number[] = [];
    for (let i = 0; i < decisions; i++) {
      const shown = await page.getAttribute("[data-testid=flashcard]", "data-card-id");
      const confirm = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/flashcards"));
      const t0 = await page.evaluate(() => performance.now());
      await page.keyboard.press("d");
      const t1 = (
        await page.waitForFunction(
          (id) => {
            const el = document.querySelector("[data-testid=flashcard]");
            return el && el.getAttribute("data-card-id") !== id ? performance.now() : 0;
          },
          shown,
          { polling: "raf" },
        )
      ).jsonValue();
      await confirm;
      const t2 = await page.evaluate(() => performance.now());
      next.push((await t1) - t0);
      confirmed.push(t2 - t0);
    }
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString(),
          openCards: cards,
          firstByteMs: stats(firstByte),
          htmlKiB: Math.round((await (await context.request.get("/flashcards")).body()).length / 1024),
          firstCardPaintedMs: stats(painted),
          hydratedMs: stats(hydrated),
          decisionToNextCardMs: stats(next),
          decisionConfirmedMs: stats(confirmed),
          loadAverage: os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(" "),
          chromium: browser.version(),
        },
        null,
        2,
      ),
    );
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 1_000));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
