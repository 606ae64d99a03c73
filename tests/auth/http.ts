import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { peerAddressHeader } from "@/lib/auth/client-address";

type RouteModule = Record<string, unknown>;
type Handler = (
  request: NextRequest,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** App Router segments ("[id]", "[...all]") as a matcher that also extracts params. */
function compile(pattern: string): (path: string) => Record<string, string | string[]> | null {
  const names: { name: string; rest: boolean }[] = [];
  const source = pattern
    .split("/")
    .map((segment) => {
      const rest = /^\[\.\.\.(\w+)\]$/.exec(segment);
      if (rest?.[1]) {
        names.push({ name: rest[1], rest: true });
        return "(.+)";
      }
      const one = /^\[(\w+)\]$/.exec(segment);
      if (one?.[1]) {
        names.push({ name: one[1], rest: false });
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const regex = new RegExp(`^${source}$`);
  return (path) => {
    const match = regex.exec(path);
    if (!match) return null;
    const params: Record<string, string | string[]> = {};
    // Like Next's route matcher: each segment decoded on its own; one that does not
    // decode is Next's 400, never the handler's problem.
    names.forEach(({ name, rest }, i) => {
      const raw = match[i + 1] ?? "";
      params[name] = rest ? raw.split("/").map(decodeURIComponent) : decodeURIComponent(raw);
    });
    return params;
  };
}

/**
 * Serves route modules over real loopback HTTP the way Flightdeck's server (scripts/
 * start.mjs around Next) calls them: a NextRequest whose body streams from the socket,
 * awaited params, and the peer-address header overwritten with the socket address.
 * Like Next, the request's signal aborts when the client goes away, and an event stream
 * (text/event-stream) is written as it is produced instead of buffered.
 */
export async function serveRoutes(routes: Record<string, RouteModule>): Promise<TestServer> {
  const table = Object.entries(routes).map(([pattern, module]) => ({ match: compile(pattern), module }));
  const server = http.createServer((req, res) => {
    void (async () => {
      const address = server.address() as AddressInfo;
      const url = new URL(req.url ?? "/", `http://127.0.0.1:${address.port}`);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
        else if (value !== undefined) headers.set(key, value);
      }
      headers.set(peerAddressHeader, req.socket.remoteAddress ?? "");
      const method = req.method ?? "GET";
      const hasBody = method !== "GET" && method !== "HEAD";
      const body = hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined;
      const gone = new AbortController();
      res.on("close", () => gone.abort());
      let response: Response = new Response("not found", { status: 404 });
      for (const { match, module } of table) {
        let params: Record<string, string | string[]> | null;
        try {
          params = match(url.pathname);
        } catch {
          response = new Response("bad request", { status: 400 });
          break;
        }
        if (!params) continue;
        const handler = module[method] as Handler | undefined;
        response = handler
          ? await handler(new NextRequest(url, { method, headers, body, duplex: "half", signal: gone.signal }), {
              params: Promise.resolve(params),
            })
          : new Response("method not allowed", { status: 405 });
        break;
      }
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, key) => {
        if (key !== "set-cookie") out[key] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out["set-cookie"] = cookies;
      // Whatever the handler left unread is drained so the client sees the answer.
      // The connection is not reused after an early answer (413) to a body still arriving.
      if (!req.complete) {
        req.resume();
        out.connection = "close";
      }
      res.writeHead(response.status, out);
      if (response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) {
        res.flushHeaders();
        const reader = response.body.getReader();
        res.on("close", () => void reader.cancel().catch(() => {}));
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
        res.end();
        return;
      }
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      console.error(error);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // An event stream a failed test left open must not hold the server (and the suite) forever.
        server.closeAllConnections();
      }),
  };
}

/** The cookie header a browser would send back after these Set-Cookie lines. */
export function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => c !== "" && !c.endsWith("="))
    .join("; ");
}
