import "server-only";

/**
 * The Better Auth endpoints Flightdeck serves over HTTP: exactly what the cockpit and
 * people use. Everything else Better Auth ships (verify-password — an unthrottled password
 * oracle —, list/revoke-sessions, update-session, reset/verify flows, social callbacks…)
 * answers 404 from /api/auth/*, including endpoints a future Better Auth adds. Sign-in
 * and change-password are rate-limited and audited (auth-hooks.ts); sign-out is audited.
 */
export const enabledAuthEndpoints = new Set(["/sign-in/email", "/sign-out", "/get-session", "/change-password"]);

/** The endpoint path under /api/auth, or null when the URL is not under it. */
export function authEndpointOf(pathname: string): string | null {
  const prefix = "/api/auth";
  if (!pathname.startsWith(`${prefix}/`)) return null;
  return pathname.slice(prefix.length).replace(/\/+$/, "") || "/";
}

export function isEnabledAuthEndpoint(pathname: string): boolean {
  const endpoint = authEndpointOf(pathname);
  return endpoint !== null && enabledAuthEndpoints.has(endpoint);
}
