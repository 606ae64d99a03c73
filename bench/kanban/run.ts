/**
 * Kanban bench: seeds N runs (default 5,000) into a fresh embedded database, starts the
 * production server on it (runtime off, so the board holds still), and measures in
 * Chromium the time to first render of /runs and the time from a drop to the card landing.
 *
 *   npx tsx --conditions=react-server bench/kanban/run.ts [--runs=5000] [--loads=5] [--drags=10] [--changes=20] [--port=<free>]
 *   npm run bench:kanban:smoke     # 300 runs, one sample of each: CI keeps the bench working
 *
 * "Change visible" pauses queued runs through the API and times the card's move to Paused,
 * first with the live stream (GET /api/events) and then with it blocked (the 1 s poll).
 *
 * Writes bench/kanban/results.json (results-<N>.json for another size; nothing in smoke
 * mode) and prints a Markdown summary for docs/PERFORMANCE.md.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { openPglite } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { packs } from "@/server/packs";
import { installPacks } from "@/lib/packs";
import { resetEnvCache } from "@/lib/env";
import { loadJobRegistry } from "@/lib/jobs";
import { measureKanban, type KanbanFigures } from "./measure";
import { seedBoardRuns } from "./seed";

function arg(name: string, fallback: number): number {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split("=")[1]) : fallback;
}

const root = path.resolve(import.meta.dirname, "..", "..");
const smoke = process.argv.includes("--smoke");
const total = arg("runs", smoke ? 300 : 5_000);

/** The same "build when stale" step as npm start and the e2e server (scripts/lib/ensure-build.mjs). */
function ensureBuilt(): void {
  const result = spawnSync("node", ["-e", "import('./scripts/lib/ensure-build.mjs').then((m) => m.ensureBuilt())"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("build failed");
}
const requestedPort = arg("port", 0);
const token = `kanban-bench-${Date.now()}-token-0123456789`;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    p50: Math.round(q(0.5)),
    p95: Math.round(q(0.95)),
    min: Math.round(sorted[0] ?? 0),
    max: Math.round(sorted.at(-1) ?? 0),
    n: sorted.length,
  };
}

/** A port nobody listens on (other agents' servers share this machine). */
async function freePort(): Promise<number> {
  if (requestedPort > 0) return requestedPort;
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Up, and ours: only the server we started accepts this run's admin token. */
async function waitForOurServer(base: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("the server exited before answering (port taken?)");
    try {
      const response = await fetch(`${base}/api/board?since=${encodeURIComponent(new Date().toISOString())}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) return;
      if (response.status === 401) throw new Error(`another server answers on ${base}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("another server")) throw error;
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer ${base} within ${timeoutMs} ms`);
}

async function main() {
  ensureBuilt();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "flightdeck-kanban-"));
  console.log(`[bench] data dir ${dataDir}; seeding ${total} runs…`);
  // The seed's audit events are MAC'd with the audit keys under the server's data dir, or its sealer refuses them.
  process.env.FLIGHTDECK_DATA_DIR = dataDir;
  resetEnvCache();
  const seedStart = performance.now();
  const handle = await openPglite(path.join(dataDir, "pglite"));
  await runMigrations(handle);
  await loadJobRegistry(handle.db, installPacks(packs));
  const counts = await seedBoardRuns(handle.db, total);
  await handle.close();
  console.log(`[bench] seeded in ${Math.round(performance.now() - seedStart)} ms:`, counts);

  const port = await freePort();
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
  let exited = false;
  server.on("exit", () => (exited = true));
  const stop = () => {
    if (server.pid && !exited) process.kill(-server.pid, "SIGTERM");
  };
  let figures: KanbanFigures;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForOurServer(base, 120_000, () => exited);
    figures = await measureKanban({
      baseURL: base,
      token,
      loads: arg("loads", smoke ? 1 : 5),
      drags: arg("drags", smoke ? 1 : 10),
      changes: arg("changes", smoke ? 2 : 20),
    });
  } finally {
    stop();
  }
  rmSync(dataDir, { recursive: true, force: true });

  const machine = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
    node: process.version,
    chromium: figures.chromium,
  };
  const summary = {
    date: new Date().toISOString(),
    runs: total,
    counts,
    machine,
    cardsInDom: figures.cardsInDom,
    firstCardsMs: stats(figures.firstCardsMs),
    interactiveMs: stats(figures.interactiveMs),
    dragLandedMs: stats(figures.dragLandedMs),
    dragConfirmedMs: stats(figures.dragConfirmedMs),
    snapshotMs: stats(figures.snapshotMs),
    snapshotKiB: Math.round(figures.snapshotBytes / 1024),
    htmlKiB: Math.round(figures.htmlBytes / 1024),
    htmlGzipKiB: Math.round(figures.htmlGzipBytes / 1024),
    columnPageMs: stats(figures.pageMs),
    deltaMs: stats(figures.deltaMs),
    changeVisibleLiveMs: stats(figures.changeVisibleLiveMs),
    changeVisiblePollMs: stats(figures.changeVisiblePollMs),
    longTasksIdle: figures.longTasksIdle,
    longTasksDuringScroll: figures.longTasksDuringScroll,
  };
  if (!smoke) {
    const file = total === 5_000 ? "results.json" : `results-${total}.json`;
    writeFileSync(path.join(root, "bench/kanban", file), `${JSON.stringify(summary, null, 2)}\n`);
  }
  const row = (label: string, s: ReturnType<typeof stats>) =>
    `| ${label} | ${s.p50} | ${s.p95} | ${s.min} | ${s.max} | ${s.n} |`;
  console.log(
    [
      "",
      `Runs on the board: ${total} (${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}); cards in the DOM: ${figures.cardsInDom}`,
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load ${machine.loadAverage}, Node ${machine.node}, Chromium ${machine.chromium}`,
      "",
      "| measure (ms) | p50 | p95 | min | max | n |",
      "|---|---|---|---|---|---|",
      row("/runs navigation → first cards painted", summary.firstCardsMs),
      row("/runs navigation → hydrated (drag/keys live)", summary.interactiveMs),
      row("drop → card in Paused (optimistic)", summary.dragLandedMs),
      row("drop → server confirmed (action round trip)", summary.dragConfirmedMs),
      row(`GET /api/board snapshot (${summary.snapshotKiB} KiB)`, summary.snapshotMs),
      row("GET /api/board/columns/queued?after= (next page)", summary.columnPageMs),
      row("GET /api/board?since= delta", summary.deltaMs),
      row("run paused via API → card in Paused, live stream", summary.changeVisibleLiveMs),
      row("run paused via API → card in Paused, polling only (1 s)", summary.changeVisiblePollMs),
      "",
      `/runs document: ${summary.htmlKiB} KiB (${summary.htmlGzipKiB} KiB gzipped), the first page of every column embedded`,
      `Long tasks (> 50 ms) while idle 3 s with polling: ${figures.longTasksIdle.count} (max ${figures.longTasksIdle.maxMs} ms); while scrolling the Queued column end to end: ${figures.longTasksDuringScroll.count} (max ${figures.longTasksDuringScroll.maxMs} ms)`,
    ].join("\n"),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
