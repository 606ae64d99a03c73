// Plain Node (no dependencies): `npm start` must work on a fresh clone before anything
// is installed, so this file may only use Node's standard library (and lib/log/format.mjs, which does too).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { logSettings, writeLogLine } from "../../lib/log/format.mjs";

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

let settings;

/** One line in the process's log format (lib/log/format.mjs): pretty on a terminal, JSON lines otherwise. */
export function say(level, message, fields) {
  settings ??= logSettings();
  writeLogLine(settings, level, message, fields);
}

/** Runs a command with its output relayed line by line in the log format (`source` names the command). */
function run(command, args, { env = {}, label }) {
  settings ??= logSettings();
  const colors = settings.format === "pretty" && settings.color ? { FORCE_COLOR: "1" } : { NO_COLOR: "1" };
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...colors, ...env },
    });
    const relay = (stream, level) =>
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        if (line.trim() !== "") say(level, line.trimEnd(), { source: label });
      });
    relay(child.stdout, "info");
    relay(child.stderr, "warn");
    child.on("error", (error) => {
      say("error", `could not run "${command}": ${error.message}`);
      process.exit(1);
    });
    child.on("close", (code, signal) => {
      if (code !== 0) {
        say("error", `"${command} ${args.join(" ")}" failed (${signal ?? `exit code ${code}`})`);
        process.exit(code ?? 1);
      }
      resolve();
    });
  });
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
export async function ensureInstalled() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say("info", "installing dependencies (npm ci)…");
  await run("npm", ["ci", "--no-audit", "--no-fund"], { label: "npm ci" });
}

/**
 * Builds the production bundle when there is none or a source file is newer. The build skips Next's TypeScript
 * pass (FLIGHTDECK_BUILD_SKIP_TYPECHECK, read by next.config.ts): CI type-checks with `npm run typecheck`, and
 * `npm run build` still type-checks.
 */
export async function ensureBuilt() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...sourceEntries.map(newestMtime));
  if (builtAt !== 0 && newest <= builtAt) return;
  say("info", "building the cockpit (next build)…");
  await run("npx", ["next", "build"], {
    env: { NEXT_TELEMETRY_DISABLED: "1", FLIGHTDECK_BUILD_SKIP_TYPECHECK: "1" },
    label: "next build",
  });
}

export { root };
