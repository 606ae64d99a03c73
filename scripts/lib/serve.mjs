// Flightdeck's HTTP server: Next.js (production build) behind a plain node:http server
// that this file owns. Things only this layer can do, because Next 16 route handlers
// never see the socket or the whole process:
//  - every request carries x-flightdeck-peer = the TCP peer address, overwriting anything
//    the client sent (lib/auth/client-address.ts decides the client from it and
//    FLIGHTDECK_TRUSTED_PROXIES);
//  - every response carries the security headers (scripts/lib/security-headers.mjs);
//  - console output of the process (Next's, React's, libraries') comes out in Flightdeck's log format
//    (lib/log/format.mjs).
import http from "node:http";
import { logSettings, routeConsole, writeLogLine } from "../../lib/log/format.mjs";
import { securityHeaders } from "./security-headers.mjs";

export const peerAddressHeader = "x-flightdeck-peer";

/** True when every segment of the URL's path decodes as UTF-8 percent-encoding. */
export function decodablePath(url) {
  const pathname = url.split("?")[0] ?? "";
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

export async function serve({ root, port, host }) {
  process.chdir(root);
  const settings = logSettings();
  const say = (level, message, fields) => writeLogLine(settings, level, message, fields);
  routeConsole(settings);
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const headers = securityHeaders({ baseUrl: process.env.FLIGHTDECK_BASE_URL });
  const server = http.createServer((req, res) => {
    req.headers[peerAddressHeader] = req.socket.remoteAddress ?? "";
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // A path whose percent-escapes do not decode (%FF, %ED%A0%80, a bare %) is a 400 here:
    // Next answers those with a bare 500.
    if (!decodablePath(req.url ?? "/")) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "bad_request", message: "Malformed percent-encoding in the path" } }));
      return;
    }
    handle(req, res).catch((error) => {
      say("error", "request failed", { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  try {
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
  } catch (error) {
    // e.g. EADDRINUSE: the runtime started by Next's instrumentation must not live on without a server.
    say("error", `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const close = () => server.close();
  process.once("SIGTERM", close);
  process.once("SIGINT", close);
  say("info", `listening on http://${host.includes(":") ? `[${host}]` : host}:${port}`);
  return server;
}
