import "server-only";
import { APICallError } from "@ai-sdk/provider";

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1 source for jitter; injectable so tests are deterministic. */
  random?: () => number;
}

/** 429, 5xx, 408/409 and connection failures: what the provider itself flags as worth retrying. */
export function isRetryableModelError(error: unknown): boolean {
  if (!APICallError.isInstance(error)) return false;
  const status = error.statusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return error.isRetryable;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so many runs hit by
 * the same 429 do not come back in lockstep. A Retry-After the server sends is honoured
 * when it is longer, up to maxMs.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, error?: unknown): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const random = policy.random ?? Math.random;
  const jittered = exp / 2 + (exp / 2) * random();
  const hinted = retryAfterMs(error);
  return Math.round(hinted !== undefined ? Math.min(policy.maxMs, Math.max(jittered, hinted)) : jittered);
}

function retryAfterMs(error: unknown): number | undefined {
  if (!APICallError.isInstance(error) || !error.responseHeaders) return undefined;
  const headers = error.responseHeaders;
  const ms = Number.parseFloat(headers["retry-after-ms"] ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers["retry-after"];
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Resolves after ms, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
