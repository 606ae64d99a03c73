// Plain Node (no dependencies): `npm start` must work on a fresh clone before anything
// is installed, so this file may only use Node's standard library.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
const sourceEntries = [
  "app",
  "components",
  "lib",
  "db",
  "domains",
  "drizzle",
  "public",
  "next.config.ts",
  "instrumentation.ts",
  "proxy.ts",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`[flightdeck] "${command} ${args.join(" ")}" failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export function ensureInstalled() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
    console.log("[flightdeck] installing dependencies (npm ci)…");
    run("npm", ["ci", "--no-audit", "--no-fund"]);
  }
}

/**
 * Builds the production bundle when there is none or a source file is newer. The build skips Next's TypeScript
 * pass (FLIGHTDECK_BUILD_SKIP_TYPECHECK, read by next.config.ts): CI type-checks with `npm run typecheck`, and
 * `npm run build` still type-checks.
 */
export function ensureBuilt() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...sourceEntries.map(newestMtime));
  if (builtAt === 0 || newest > builtAt) {
    console.log("[flightdeck] building the cockpit (next build)…");
    run("npx", ["next", "build"], { NEXT_TELEMETRY_DISABLED: "1", FLIGHTDECK_BUILD_SKIP_TYPECHECK: "1" });
  }
}

export { root };
