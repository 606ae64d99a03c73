// Security headers for every response of Flightdeck's server (plain Node, no dependencies).

/**
 * The Content-Security-Policy the cockpit passes: everything from this origin only, no
 * framing, no plugins, forms and <base> pinned to this origin. Next.js App Router pages
 * bootstrap with inline <script> tags (the RSC payload) and Radix/Tailwind set inline
 * styles, so 'unsafe-inline' stays for scripts and styles (a nonce-based policy would need
 * every page rendered dynamically with a per-request nonce; see docs/SECURITY.md).
 */
export function contentSecurityPolicy({ dev = false } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Header name → value for every response; HSTS only when the public base URL is https. */
export function securityHeaders({ baseUrl, dev = false } = {}) {
  const headers = {
    "Content-Security-Policy": contentSecurityPolicy({ dev }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
  if (typeof baseUrl === "string" && baseUrl.startsWith("https://")) {
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  }
  return headers;
}
