import "server-only";
import { getEnv } from "@/lib/env";
import { redact, redactString } from "@/lib/redaction";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One JSON object per line on stdout/stderr: greppable and machine-readable. Error texts
 * in fields can quote configuration (a connection string, a key), so lines are redacted.
 */
export const jsonLogger: Logger = (level, message, fields = {}) => {
  if (rank[level] < rank[getEnv().FLIGHTDECK_LOG_LEVEL]) return;
  const line = JSON.stringify({ ts: new Date().toISOString(), level, msg: redactString(message), ...redact(fields) });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
};

export const silentLogger: Logger = () => {};

export { errorMessage } from "@/lib/errors";
