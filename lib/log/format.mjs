// The one log-line format of every Flightdeck process: pretty human lines on a terminal, JSON lines otherwise
// (FLIGHTDECK_LOG_FORMAT=pretty|json forces one). Plain JavaScript with no dependencies, because `npm start`
// (scripts/start.mjs) formats its own lines with it before anything is installed or built; TypeScript code uses it
// through lib/log.
import { format as formatArgs } from "node:util";

export const logLevels = ["debug", "info", "warn", "error"];
const rank = { debug: 10, info: 20, warn: 30, error: 40 };

/** "pretty" or "json": the variable when set, else pretty on a terminal. Throws naming the variable when invalid. */
export function resolveLogFormat(value, isTTY) {
  if (value === undefined || value === "") return isTTY ? "pretty" : "json";
  if (value === "pretty" || value === "json") return value;
  throw new Error(`FLIGHTDECK_LOG_FORMAT must be "pretty" or "json" (got "${value}")`);
}

/** Whether a line of `level` passes the FLIGHTDECK_LOG_LEVEL threshold (default info). */
export function levelEnabled(level, threshold = "info") {
  return (rank[level] ?? rank.info) >= (rank[threshold] ?? rank.info);
}

// CSI sequences (colors, cursor moves) and carriage returns of spinners: meaningless in a JSON line.
const ansi = /\u001b\[[0-9;?]*[A-Za-z]|\r/g;

export function stripAnsi(text) {
  return text.replace(ansi, "");
}

const paint = {
  debug: (s) => `\u001b[2m${s}\u001b[22m`,
  info: (s) => `\u001b[36m${s}\u001b[39m`,
  warn: (s) => `\u001b[33m${s}\u001b[39m`,
  error: (s) => `\u001b[31m${s}\u001b[39m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
};

function fieldText(value) {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}

function clock(time) {
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
}

/**
 * One log line (no newline). json: {"ts","level","msg",...fields}, one object per line whatever the message holds.
 * pretty: "HH:MM:SS.mmm level  [source] message  key=value …", colored when `color`.
 */
export function formatLogLine(format, { level, msg, fields = {}, time = new Date() }, { color = false } = {}) {
  if (format === "json") {
    const extra = Object.fromEntries(Object.entries(fields).filter(([key]) => !["ts", "level", "msg"].includes(key)));
    return JSON.stringify({ ts: time.toISOString(), level, msg: stripAnsi(msg), ...extra });
  }
  // A line relayed from a child process (npm ci, next build) says where it came from up front.
  const source = typeof fields.source === "string" ? `[${fields.source}] ` : "";
  const tail = Object.entries(fields)
    .filter(([key, value]) => value !== undefined && !(key === "source" && source))
    .map(([key, value]) => `${key}=${fieldText(value)}`)
    .join(" ");
  const label = level.padEnd(5);
  const head = color ? `${paint.dim(clock(time))} ${paint[level](label)}` : `${clock(time)} ${label}`;
  return `${head} ${color && source ? paint.dim(source) : source}${msg}${tail ? `  ${color ? paint.dim(tail) : tail}` : ""}`;
}

/** The process's settings from its environment and terminal. */
export function logSettings(env = process.env, stream = process.stdout) {
  const format = resolveLogFormat(env.FLIGHTDECK_LOG_FORMAT, Boolean(stream.isTTY));
  const color = format === "pretty" && Boolean(stream.isTTY) && !env.NO_COLOR;
  return { format, color, threshold: logLevels.includes(env.FLIGHTDECK_LOG_LEVEL) ? env.FLIGHTDECK_LOG_LEVEL : "info" };
}

/** Writes one line: debug and info to stdout, warn and error to stderr. */
export function writeLogLine(settings, level, msg, fields) {
  if (!levelEnabled(level, settings.threshold)) return;
  const line = formatLogLine(settings.format, { level, msg, fields }, { color: settings.color });
  (level === "warn" || level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
}

const installed = Symbol.for("flightdeck.console");

/**
 * Routes console.* of this process through the format, so what Next.js, React and libraries print comes out as the
 * same lines as Flightdeck's own (console.log/info → info, debug → debug, warn → warn, error and trace → error).
 * Installed once per process by the server (scripts/lib/serve.mjs) and `npm run worker`.
 */
export function routeConsole(settings, fields = {}) {
  if (globalThis[installed]) return;
  globalThis[installed] = true;
  const route =
    (level) =>
    (...args) =>
      writeLogLine(settings, level, formatArgs(...args), fields);
  console.log = route("info");
  console.info = route("info");
  console.debug = route("debug");
  console.warn = route("warn");
  console.error = route("error");
  console.trace = (...args) => writeLogLine(settings, "error", new Error(formatArgs(...args)).stack ?? "", fields);
}
