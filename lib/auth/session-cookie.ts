import "server-only";
import { getSessionCookie } from "better-auth/cookies";

/**
 * Whether the request carries a Better Auth session cookie at all. Only a cheap
 * presence test (used to skip a database lookup, and by proxy.ts to redirect); the
 * signature and the session row are checked by Better Auth when it matters.
 */
export function hasSessionCookie(headers: Headers): boolean {
  return getSessionCookie(headers) !== null;
}
