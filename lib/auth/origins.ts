import "server-only";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";

/** The public URL of the cockpit: FLIGHTDECK_BASE_URL, else http://localhost:PORT. */
export function baseUrl(): string {
  const env = getEnv();
  return env.FLIGHTDECK_BASE_URL ?? `http://localhost:${env.PORT}`;
}

/**
 * The origins the cockpit is served from, for sign-in (Better Auth's trustedOrigins) and the CSRF check of cookie
 * requests: FLIGHTDECK_BASE_URL's origin, and localhost/127.0.0.1 on PORT.
 */
export function trustedOrigins(): string[] {
  const port = getEnv().PORT;
  return [...new Set([new URL(baseUrl()).origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
}

/**
 * What to tell someone whose browser loaded the cockpit from an origin the server does not trust — typically the
 * machine's network address while FLIGHTDECK_BASE_URL is unset — naming the variable that fixes it.
 */
export function untrustedOriginMessage(sent: string): string {
  // The header is the client's to choose: echoed back bounded.
  const origin = sent.length > 200 ? `${sent.slice(0, 200)}…` : sent;
  const configured = getEnv().FLIGHTDECK_BASE_URL;
  const base = new URL(baseUrl()).origin;
  return (
    `This page was opened at ${origin}, but the server accepts sign-ins only from ${base}` +
    `${configured ? " (FLIGHTDECK_BASE_URL)" : " (FLIGHTDECK_BASE_URL is unset)"}. ` +
    `Open ${base} instead, or restart the server with FLIGHTDECK_BASE_URL=${origin}.`
  );
}

const warned = new Set<string>();

/**
 * Refuses (403) a browser request to the sign-in endpoints whose Origin is not trusted, before Better Auth answers it
 * with a bare "Invalid origin": the answer and the server log (once per origin) say which URL to open and which
 * variable to set. Requests without an Origin (curl, server-to-server) are left to Better Auth.
 */
export function assertTrustedAuthOrigin(request: Request): void {
  if (request.method.toUpperCase() === "GET" || request.method.toUpperCase() === "HEAD") return;
  const origin = request.headers.get("origin");
  if (origin === null || trustedOrigins().includes(origin)) return;
  const message = untrustedOriginMessage(origin);
  if (!warned.has(origin) && warned.size < 100) {
    warned.add(origin);
    logger("warn", `sign-in refused: ${message}`);
  }
  throw new AppError("forbidden", message, { reason: "untrusted_origin" });
}
