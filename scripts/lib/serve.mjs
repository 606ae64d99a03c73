// Flightdeck's HTTP server: Next.js (production build) behind a plain node:http server
// that this file owns. Things only this layer can do, because Next 16 route handlers
// never see the socket or the process's start:
//  - every request carries x-flightdeck-peer = the TCP peer address, overwriting anything
//    the client sent (lib/auth/client-address.ts decides the client from it and
//    FLIGHTDECK_TRUSTED_PROXIES);
//  - every response carries the security headers (scripts/lib/security-headers.mjs);
//  - console output of the process (Next's, React's, libraries') comes out in Flightdeck's log format
//    (lib/log/format.mjs), and the last start-up line is printed once GET /api/health really answers.
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

const loopback = new Set(["127.0.0.1", "localhost", "::1"]);
const everywhere = new Set(["0.0.0.0", "::"]);

/**
 * The URL to tell a person to open, and what else they need to know about it. Sign-in is accepted only from
 * FLIGHTDECK_BASE_URL (default http://localhost:PORT) and localhost/127.0.0.1 on PORT (lib/auth/origins.ts).
 */
export function publicUrl({ host, port, baseUrl }) {
  if (baseUrl) return { url: baseUrl.replace(/\/+$/, ""), note: "" };
  const local = `http://localhost:${port}`;
  if (loopback.has(host)) return { url: local, note: "" };
  if (everywhere.has(host)) {
    return { url: local, note: "; from another machine, set FLIGHTDECK_BASE_URL to the URL it uses and restart" };
  }
  const direct = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return { url: direct, note: `; sign-in there needs FLIGHTDECK_BASE_URL=${direct}` };
}

/** The last start-up line: the URL to open and the demo account (from the boot state, lib/context). */
export function readyLine({ url, note, demo, elapsedMs }) {
  const after = `Flightdeck is ready in ${(elapsedMs / 1000).toFixed(1)} s`;
  if (demo === undefined) return `${after} — open ${url}${note}`;
  if (demo === null) {
    return `${after} — open ${url} (no demo users: create an admin with npm run flightdeck -- user create --email you@example.com --role admin)${note}`;
  }
  const password = demo.password ?? "the value of FLIGHTDECK_DEMO_PASSWORD";
  return `${after} — open ${url} and sign in as ${demo.email} / ${password}${note}`;
}

function healthAnswers(host, port) {
  return new Promise((resolve) => {
    // Next holds requests until instrumentation has booted: a long timeout lets the first one wait for that.
    const request = http.get({ host, port, path: "/api/health", timeout: 60_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/** Polls GET /api/health until it answers 200; says so every 30 s while it does not. */
async function untilServing(host, port, say) {
  const started = Date.now();
  let nextNote = started + 30_000;
  while (!(await healthAnswers(host, port))) {
    if (Date.now() >= nextNote) {
      say("warn", `GET /api/health has not answered 200 for ${Math.round((Date.now() - started) / 1000)} s`);
      nextNote += 30_000;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
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
  // Idle connections stay open longer than the 60 s idle timeout common proxies and HTTP clients keep: with
  // Node's 5 s default, a client reusing a connection the server was closing got ECONNRESET (seen in CI: the
  // e2e suite's API client after 6 s idle). headersTimeout must exceed it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
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
  say("info", `listening on ${host.includes(":") ? `[${host}]` : host}:${port}; waiting for start-up to finish`);

  // Next answers once instrumentation (server/boot.ts) has booted; the line comes after a real answer.
  const probe = everywhere.has(host) ? (host === "::" ? "::1" : "127.0.0.1") : host;
  await untilServing(probe, port, say);
  const { url, note } = publicUrl({ host, port, baseUrl: process.env.FLIGHTDECK_BASE_URL });
  const demo = globalThis[Symbol.for("flightdeck.appContext")]?.boot?.demoSignIn;
  const elapsedMs = Math.round(process.uptime() * 1000);
  say(
    "info",
    readyLine({ url, note, demo, elapsedMs }),
    settings.format === "json" ? { url, startupMs: elapsedMs } : {},
  );
  return server;
}
