import "server-only";
import type { Principal } from "./principal";

/**
 * Turns request headers into a Principal: `Authorization: Bearer …` (API token or
 * FLIGHTDECK_ADMIN_TOKEN) first, then the Better Auth session cookie.
 * Implemented by the sign-in work; until then every caller is anonymous.
 */
export async function resolvePrincipal(_headers: Headers): Promise<Principal> {
  return { kind: "anonymous" };
}
