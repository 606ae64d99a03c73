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

/** Seconds, one decimal: "34.2 s". */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// A step that prints nothing for this long gets a line saying it is still at work.
const quietMs = 15_000;

/**
 * Runs a command with its output relayed line by line in the log format (`source` names the command), and a
 * "still …" line whenever it has been quiet for 15 s. Exits the process when the command fails.
 */
function run(command, args, { env = {}, label, doing }) {
  settings ??= logSettings();
  const colors = settings.format === "pretty" && settings.color ? { FORCE_COLOR: "1" } : { NO_COLOR: "1" };
  return new Promise((resolve) => {
    const started = Date.now();
    let lastLine = started;
    const child = spawn(command, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...colors, ...env },
    });
    const relay = (stream, level) =>
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        lastLine = Date.now();
        if (line.trim() !== "") say(level, line.trimEnd(), { source: label });
      });
    relay(child.stdout, "info");
    relay(child.stderr, "warn");
    const beat = setInterval(() => {
      if (Date.now() - lastLine < quietMs) return;
      say("info", `still ${doing} (${seconds(Date.now() - started)} so far)`);
      lastLine = Date.now();
    }, 1_000);
    child.on("error", (error) => {
      clearInterval(beat);
      say("error", `could not run "${command}": ${error.message}`);
      process.exit(1);
    });
    child.on("close", (code, signal) => {
      clearInterval(beat);
      if (code !== 0) {
        say("error", `"${command} ${args.join(" ")}" failed (${signal ?? `exit code ${code}`})`);
        process.exit(code ?? 1);
      }
      resolve(Date.now() - started);
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

/** Installs dependencies when node_modules is missing or older than the lockfile. `step` prefixes the lines. */
export async function ensureInstalled({ step = "" } = {}) {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
    say("info", `${step}dependencies are up to date`);
    return;
  }
  say("info", `${step}installing dependencies (npm ci)…`);
  const ms = await run("npm", ["ci", "--no-audit", "--no-fund"], { label: "npm ci", doing: "installing" });
  say("info", `${step}dependencies installed in ${seconds(ms)}`);
}

/**
 * Builds the production bundle when there is none or a source file is newer. The build skips Next's TypeScript
 * pass (FLIGHTDECK_BUILD_SKIP_TYPECHECK, read by next.config.ts): CI type-checks with `npm run typecheck`, and
 * `npm run build` still type-checks.
 */
export async function ensureBuilt({ step = "" } = {}) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...sourceEntries.map(newestMtime));
  if (builtAt !== 0 && newest <= builtAt) {
    say("info", `${step}the production build is up to date`);
    return;
  }
  say("info", `${step}building the cockpit (next build, type-check left to npm run typecheck)…`);
  const ms = await run("npx", ["next", "build"], {
    env: { NEXT_TELEMETRY_DISABLED: "1", FLIGHTDECK_BUILD_SKIP_TYPECHECK: "1" },
    label: "next build",
    doing: "building",
  });
  say("info", `${step}built in ${seconds(ms)}`);
}

export { root };
