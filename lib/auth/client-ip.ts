import "server-only";
import { clientAddress } from "./client-address";

/**
 * The caller's address for rate limiting and the audit trail: the socket peer, or what a
 * configured trusted proxy says (lib/auth/client-address.ts). Forwarded headers from
 * anyone else are ignored.
 */
export function clientIp(headers: Headers): string {
  return clientAddress(headers);
}

export function userAgent(headers: Headers): string | null {
  return headers.get("user-agent");
}
