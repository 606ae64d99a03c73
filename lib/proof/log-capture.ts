import { format } from "node:util";
import type { Logger } from "@/lib/log";

/**
 * Everything the runtime logs during the proof (the workers' and sealer's logger, and
 * console output from anything else), kept as lines so the canary search can read them.
 */
export interface LogCapture {
  logger: Logger;
  lines: string[];
  /** Stops capturing console output (the logger's lines stay). */
  restore(): void;
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const originals = methods.map((m) => [m, console[m]] as const);
  for (const m of methods) {
    console[m] = (...args: unknown[]) => {
      lines.push(`console.${m} ${format(...args)}`);
    };
  }
  return {
    lines,
    logger: (level, message, fields) => {
      lines.push(JSON.stringify({ level, message, ...(fields ?? {}) }));
    },
    restore() {
      for (const [m, original] of originals) console[m] = original;
    },
  };
}
