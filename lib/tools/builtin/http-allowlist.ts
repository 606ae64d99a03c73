import "server-only";

/** Port a URL talks to, explicit or the scheme's default. */
function portOf(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/**
 * Whether a job's agent.httpAllowlist admits a URL. Entries: "host" (any port),
 * "host:port", "*.domain" (subdomains only, not the bare domain), "*.domain:port".
 * Host names compare case-insensitively and without a trailing dot.
 */
export function hostAllowed(url: URL, allowlist: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const port = portOf(url);
  return allowlist.some((raw) => {
    const entry = raw.toLowerCase();
    const colon = entry.lastIndexOf(":");
    const hasPort = colon > 0 && /^\d+$/.test(entry.slice(colon + 1)) && !entry.startsWith("[");
    const pattern = (hasPort ? entry.slice(0, colon) : entry).replace(/\.$/, "");
    if (hasPort && entry.slice(colon + 1) !== port) return false;
    if (pattern.startsWith("*.")) {
      const suffix = pattern.slice(1);
      return host.endsWith(suffix) && host.length > suffix.length;
    }
    return host === pattern;
  });
}
