import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

type RouteModule = Record<string, unknown>;
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

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
    names.forEach(({ name, rest }, i) => {
      const value = decodeURIComponent(match[i + 1] ?? "");
      params[name] = rest ? value.split("/") : value;
    });
    return params;
  };
}

/**
 * Serves route modules over real loopback HTTP the way `next start` calls them: a
 * NextRequest, awaited params, and X-Forwarded-For filled from the socket when absent.
 */
export async function serveRoutes(routes: Record<string, RouteModule>): Promise<TestServer> {
  const table = Object.entries(routes).map(([pattern, module]) => ({ match: compile(pattern), module }));
  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const address = server.address() as AddressInfo;
      const url = new URL(req.url ?? "/", `http://127.0.0.1:${address.port}`);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
        else if (value !== undefined) headers.set(key, value);
      }
      if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", req.socket.remoteAddress ?? "");
      const method = req.method ?? "GET";
      const body = chunks.length > 0 && method !== "GET" && method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      let response: Response = new Response("not found", { status: 404 });
      for (const { match, module } of table) {
        const params = match(url.pathname);
        if (!params) continue;
        const handler = module[method] as Handler | undefined;
        response = handler
          ? await handler(new NextRequest(url, { method, headers, body }), { params: Promise.resolve(params) })
          : new Response("method not allowed", { status: 405 });
        break;
      }
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, key) => {
        if (key !== "set-cookie") out[key] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out["set-cookie"] = cookies;
      res.writeHead(response.status, out);
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
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
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
