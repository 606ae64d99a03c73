/**
 * Database errors carry what must never reach a log line or a stored error: drizzle's
 * DrizzleQueryError puts the bound parameters (session tokens, hashes, emails) in its
 * message, and the driver's error has `detail`/`where` quoting row values. These
 * helpers keep only the shape: the error's class, SQLSTATE code, the server's one-line
 * message, and stack frames — never parameters, details or the failing row.
 */
export interface SanitizedError {
  name: string;
  message: string;
  code?: string;
  cause?: SanitizedError;
  stack?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object";
}

/** DrizzleQueryError (and anything shaped like it): a failed query with its parameters attached. */
function isQueryError(error: unknown): error is Error & { query: string; params: unknown[] } {
  return (
    error instanceof Error &&
    isRecord(error) &&
    typeof error.query === "string" &&
    Array.isArray(error.params) &&
    error.message.startsWith("Failed query:")
  );
}

function frames(stack: unknown): string | undefined {
  if (typeof stack !== "string") return undefined;
  const lines = stack.split("\n").filter((l) => /^\s+at /.test(l));
  return lines.length > 0 ? lines.join("\n") : undefined;
}

/** Removes the "params: …" tail drizzle appends and any "Key (col)=(value)" detail quoted in a message. */
function scrubMessage(message: string): string {
  return (
    message
      .replace(/\nparams:[\s\S]*$/, "")
      // Postgres quotes the offending value at the end: invalid input syntax for type uuid: "…"
      .replace(/: "[^"]*"$/, ': "…"')
      .replace(/\(([^()]*)\)=\([^\n]*?\)(?= |$|\n|\.)/g, "($1)=(…)")
  );
}

export function sanitizeError(error: unknown, depth = 0): SanitizedError {
  if (!(error instanceof Error)) {
    return { name: "Error", message: typeof error === "string" ? scrubMessage(error) : "non-error value thrown" };
  }
  const record = error as unknown as Record<string, unknown>;
  const code = typeof record.code === "string" ? record.code : undefined;
  const cause = depth < 3 && error.cause !== undefined ? sanitizeError(error.cause, depth + 1) : undefined;
  const message = isQueryError(error) ? "Database query failed" : scrubMessage(error.message);
  return {
    name: error.name,
    message,
    ...(code ? { code } : {}),
    ...(cause ? { cause } : {}),
    ...(frames(error.stack) ? { stack: frames(error.stack) } : {}),
  };
}

/**
 * One line for logs and stored errors (run.error): the message, and for a failed query
 * the database's own message and SQLSTATE — never the SQL's parameters.
 */
export function safeErrorMessage(error: unknown): string {
  const top = sanitizeError(error);
  if (!isQueryError(error)) return top.message;
  const cause = top.cause;
  return cause ? `${top.message}: ${cause.message}${cause.code ? ` (${cause.code})` : ""}` : top.message;
}
