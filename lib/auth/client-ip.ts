import "server-only";

/**
 * The caller's address for rate limiting and the audit trail. `next start` fills
 * X-Forwarded-For with the socket address when no proxy set it; when a proxy appends
 * to the header, its right-most entry is the hop that proxy saw, which the client
 * cannot choose (the left-most entries it can).
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) {
    const hops = forwarded
      .split(",")
      .map((h) => h.trim())
      .filter((h) => h !== "");
    const last = hops[hops.length - 1];
    if (last) return last;
  }
  const real = headers.get("x-real-ip")?.trim();
  return real ? real : "unknown";
}

export function userAgent(headers: Headers): string | null {
  return headers.get("user-agent");
}
