import "server-only";

/**
 * Database faults that say nothing about the work itself and go away when it is tried
 * again: deadlock (40P01), serialization failure (40001), the server shutting down or
 * terminating the backend (57P01-57P03), too many connections (53300), connection
 * exceptions (class 08) and the socket-level failures a driver reports when a connection
 * dies or cannot be opened.
 */
const TRANSIENT_SQLSTATE = new Set(["40P01", "40001", "57P01", "57P02", "57P03", "53300", "55P03"]);
const TRANSIENT_ERRNO = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTCONN",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);
const TRANSIENT_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|the database system is (starting up|shutting down)/i;

export function isTransientDbError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== "object") return false;
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (TRANSIENT_SQLSTATE.has(code) || code.startsWith("08") || TRANSIENT_ERRNO.has(code))
    )
      return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && TRANSIENT_MESSAGE.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface RetryOptions {
  /** Give up (rethrow) once the next attempt would start after this time. */
  deadline?: Date;
  signal?: AbortSignal;
  /** First backoff; doubles up to maxDelayMs, with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs fn again after a transient database fault, with exponential backoff and jitter,
 * until it succeeds, fails for another reason, the signal aborts or the deadline (default
 * 60 s from now) passes. fn must be safe to repeat: a whole transaction, or a call whose
 * identity makes a repeat a replay.
 */
export async function withTransientRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = options.deadline?.getTime() ?? Date.now() + 60_000;
  const base = options.baseDelayMs ?? 50;
  const max = options.maxDelayMs ?? 2_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransientDbError(error) || options.signal?.aborted) throw error;
      const delay = Math.round(Math.random() * Math.min(max, base * 2 ** (attempt - 1)));
      if (Date.now() + delay >= deadline) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
