import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemPrincipal } from "@/lib/audit";
import { resetEnvCache } from "@/lib/env";
import { registerJobDefinitions } from "@/lib/jobs/registry";
import { syncRegistry } from "@/lib/jobs/sync";
import { createApiToken } from "@/lib/tokens";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { jobDeclaration, signalJob, ticketPayload } from "@/tests/fixtures/jobs";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import * as authRoute from "@/app/api/auth/[...all]/route";
import * as runsRoute from "@/app/api/runs/route";
import * as runRoute from "@/app/api/runs/[id]/route";
import * as signalsRoute from "@/app/api/signals/[name]/route";
import * as tokensRoute from "@/app/api/tokens/route";
import * as auditRoute from "@/app/api/audit/route";
import * as boardRoute from "@/app/api/board/route";

let handle: TestDatabase;
let server: TestServer;
let admin = "";
const MiB = 1024 * 1024;

beforeAll(async () => {
  handle = await createTestDatabase();
  server = await serveRoutes({
    "/api/auth/[...all]": authRoute,
    "/api/runs": runsRoute,
    "/api/runs/[id]": runRoute,
    "/api/signals/[name]": signalsRoute,
    "/api/tokens": tokensRoute,
    "/api/audit": auditRoute,
    "/api/board": boardRoute,
  });
  delete process.env.FLIGHTDECK_MAX_BODY_BYTES; // the documented default: 1 MiB
  process.env.PORT = String(server.port);
  resetEnvCache();
  const defs = registerJobDefinitions([
    signalJob("triage-ticket", "ticket.created"),
    jobDeclaration({
      id: "bulk-import",
      triggers: [{ kind: "signal", name: "bulk.received", payload: ticketPayload, maxBodyBytes: 4 * MiB }],
    }),
    jobDeclaration({ id: "manual-job" }),
  ]);
  await syncRegistry(handle.db, defs);
  admin = (await createApiToken(handle.db, systemPrincipal("tests"), { name: "bounded-admin", role: "admin" })).token;
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

/** Sends headers claiming `claimed` bytes and only a few; answers status and elapsed ms. */
function claimHuge(
  path: string,
  claimed: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}${path}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(claimed), ...headers },
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, ms: Date.now() - started });
        req.destroy();
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? undefined : reject(error)));
    req.write("{");
  });
}

/** A body streamed in 64 KiB chunks with no Content-Length (chunked transfer encoding). */
function streamed(
  bytes: number,
  prefix = '{"subject":"s","customer":"c@acme.example","body":"',
  suffix = '"}',
): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  let stage = 0;
  return new ReadableStream({
    pull(controller) {
      if (stage === 0) {
        controller.enqueue(new TextEncoder().encode(prefix));
        stage = 1;
      } else if (sent < bytes) {
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      } else {
        controller.enqueue(new TextEncoder().encode(suffix));
        controller.close();
      }
    },
  });
}

function post(path: string, body: BodyInit | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${admin}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

describe("request bodies are bounded (FLIGHTDECK_MAX_BODY_BYTES, default 1 MiB)", () => {
  it("refuses an anonymous 100 MB sign-in by its Content-Length before reading it (413)", async () => {
    const answer = await claimHuge("/api/auth/sign-in/email", 100 * MiB, { origin: server.url });
    expect(answer.status).toBe(413);
  });

  it("refuses a body without Content-Length once the counted stream passes the limit (413)", async () => {
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: streamed(2 * MiB, '{"email":"a@b.c","password":"'),
      duplex: "half",
    } as RequestInit);
    expect(signIn.status).toBe(413);
    const signal = await post("/api/signals/ticket.created", streamed(2 * MiB));
    expect(signal.status).toBe(413);
    expect(((await signal.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("lets a signal that declares a larger limit take a larger body, and no more", async () => {
    const accepted = await post("/api/signals/bulk.received", streamed(2 * MiB));
    expect(accepted.status).toBe(202);
    const refused = await claimHuge("/api/signals/bulk.received", 5 * MiB, { authorization: `Bearer ${admin}` });
    expect(refused.status).toBe(413);
  });

  it("bounds JSON nesting: 10,000 nested arrays answer 400, not a stack overflow", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const answer = await post("/api/runs", `{"jobId":"manual-job","input":${deep}}`);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/nests deeper/);
  });
});

describe("bad input answers 4xx naming the field, never 500", () => {
  it("refuses NUL bytes and lone surrogates in any string of a JSON body", async () => {
    const cases: [string, string, (string | number)[]][] = [
      ["/api/runs", '{"jobId":"manual\\u0000job"}', ["jobId"]],
      ["/api/runs", '{"jobId":"manual-job","input":{"note":"\\ud800"}}', ["input", "note"]],
      ["/api/tokens", '{"name":"bot\\u0000","role":"operator"}', ["name"]],
      ["/api/tokens", '{"name":"\\udc00bot","role":"operator"}', ["name"]],
      ["/api/signals/ticket.created", '{"subject":"s\\u0000","body":"b","customer":"c@acme.example"}', ["subject"]],
    ];
    for (const [path, body, field] of cases) {
      const answer = await post(path, body);
      expect(answer.status, `${path} ${body}`).toBe(400);
      const json = (await answer.json()) as { error: { issues: { path: (string | number)[] }[] } };
      expect(json.error.issues[0]?.path).toEqual(field);
    }
  });

  it("answers 400 for malformed or unstorable path ids and NUL in cursors and filters", async () => {
    for (const id of ["%00", "%FF", "%ED%A0%80", "%", "abc%00def"]) {
      const answer = await fetch(`${server.url}/api/runs/${id}`, { headers: { authorization: `Bearer ${admin}` } });
      expect([400, 404], id).toContain(answer.status);
    }
    for (const path of ["/api/audit?cursor=%00", "/api/audit?action=run.%00", "/api/board?since=%00"]) {
      const answer = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(answer.status, path).toBe(400);
    }
  });
});
