import { z } from "zod";
import { safeErrorMessage } from "./sanitize";

/**
 * The one error type that crosses the boundary to callers. Route handlers and server
 * actions map it to a response; anything else becomes a generic 500 whose body never
 * carries database details (those are logged server-side only).
 */
export const errorCodes = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return errorCodes[this.code];
  }

  static validation(error: z.ZodError, what = "request"): AppError {
    return new AppError("bad_request", `Invalid ${what}`, { issues: error.issues });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A thrown value as one line of text for logs and stored errors (not for HTTP answers). */
export function errorMessage(error: unknown): string {
  // Database errors quote bound parameters; only their sanitized shape is ever written.
  if (error instanceof Error) return safeErrorMessage(error);
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * The body of every error answer, as JSON Schema users see it in /api/openapi.json:
 * `{ error: { code, message, issues? } }` plus whatever details the error carries
 * (a conflicting run's `state`, the offending `field`, `retryAfterSeconds`).
 */
export const errorResponseSchema = z.object({
  error: z.looseObject({
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    issues: z
      .array(z.looseObject({ code: z.string(), path: z.array(z.union([z.string(), z.number()])), message: z.string() }))
      .optional()
      .describe("zod issues for a 400 on a bad body, query or path parameter"),
  }),
});
