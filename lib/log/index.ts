import "server-only";
import { getEnv } from "@/lib/env";
import { redact, redactString } from "@/lib/redaction";
import {
  formatLogLine,
  levelEnabled,
  resolveLogFormat,
  routeConsole,
  type LogFormat,
  type LogLevel,
  type LogSettings,
} from "./format.mjs";

export type { LogFormat, LogLevel };
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/**
 * The process's log settings: FLIGHTDECK_LOG_FORMAT, else pretty on a terminal and JSON lines otherwise; colors on a
 * terminal unless NO_COLOR; FLIGHTDECK_LOG_LEVEL. With an invalid environment (about to be reported by name) the
 * defaults, so that report can still be logged.
 */
export function logSettings(): LogSettings {
  const isTTY = Boolean(process.stdout.isTTY);
  try {
    const env = getEnv();
    const format = resolveLogFormat(env.FLIGHTDECK_LOG_FORMAT, isTTY);
    return { format, color: format === "pretty" && isTTY && !env.NO_COLOR, threshold: env.FLIGHTDECK_LOG_LEVEL };
  } catch {
    return { format: isTTY ? "pretty" : "json", color: false, threshold: "info" };
  }
}

/**
 * Flightdeck's logger: one line per call in the process's format (lib/log/format.mjs — the same lines `npm start`,
 * Next.js and libraries print through the routed console), debug/info on stdout, warn/error on stderr. Error texts
 * in fields can quote configuration (a connection string, a key), so message and fields are redacted.
 */
export const logger: Logger = (level, message, fields = {}) => {
  const settings = logSettings();
  if (!levelEnabled(level, settings.threshold)) return;
  const line = formatLogLine(
    settings.format,
    { level, msg: redactString(message), fields: redact(fields) },
    { color: settings.color },
  );
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
};

export const silentLogger: Logger = () => {};

/** Sends console.* of this process through the same format (for `npm run worker`; the server does it in serve.mjs). */
export function routeConsoleToLog(): void {
  routeConsole(logSettings());
}
