import "server-only";
import { trustedOrigins, untrustedOriginMessage } from "@/lib/auth/origins";
import { AppError } from "@/lib/errors";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function isJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  return type === "application/json" || (type !== undefined && /^application\/[a-z0-9.+-]+\+json$/.test(type));
}

/**
 * Cross-site request forgery guard for requests authenticated by the session cookie
 * (bearer requests carry their own proof and are not checked). A state-changing request
 * must come from a trusted origin — `Origin` on the list, or `Sec-Fetch-Site: same-origin`
 * — and, when it has a body, declare it as JSON: a cross-site HTML form or a `no-cors`
 * fetch can send neither. Throws 403 / 415.
 */
export function assertSameOriginJson(request: Request): void {
  if (safeMethods.has(request.method.toUpperCase())) return;
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const sameOrigin = origin !== null ? trustedOrigins().includes(origin) : fetchSite === "same-origin";
  if (!sameOrigin) {
    const why = origin !== null ? ` ${untrustedOriginMessage(origin)}` : "";
    throw new AppError(
      "forbidden",
      `Cross-site request refused: cookie-authenticated requests need a trusted Origin.${why}`,
      { reason: "csrf" },
    );
  }
  const contentType = request.headers.get("content-type");
  const length = request.headers.get("content-length");
  const hasBody =
    (length !== null && length.trim() !== "0") || request.headers.has("transfer-encoding") || contentType !== null;
  if (hasBody && !isJson(contentType)) {
    throw new AppError("unsupported_media_type", "Cookie-authenticated requests must send application/json", {
      reason: "csrf",
    });
  }
}
