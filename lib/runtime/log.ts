import "server-only";

// The runtime logs through lib/log (one format for every process); re-exported for the runtime's callers.
export { logger, silentLogger, type Logger, type LogLevel } from "@/lib/log";

export { errorMessage } from "@/lib/errors";
