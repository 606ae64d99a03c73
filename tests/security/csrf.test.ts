import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemPrincipal } from "@/lib/audit";
import { loadJobRegistry } from "@/lib/jobs";
import { createApiToken } from "@/lib/tokens";
import { addUser, setupAuth, signInRequest, type AuthFixture } from "@/tests/auth/fixtures";
import { cookieHeader, serveRoutes, type TestServer } from "@/tests/auth/http";
import { runtimeTestJobs } from "@/tests/runtime/fixtures/jobs";
import * as runsRoute from "@/app/api/runs/route";

let f: AuthFixture;
let api: TestServer;
let cookie = "";
let token = "";
const body = JSON.stringify({ jobId: "scripted", input: { turns: 1 } });

beforeAll(async () => {
  f = await setupAuth({ FLIGHTDECK_LOGIN_MAX_ATTEMPTS: "50" });
  await loadJobRegistry(f.db, runtimeTestJobs);
  await addUser(f.db, "op@example.com", "operator");
  cookie = cookieHeader(await signInRequest(f.server, "op@example.com", "correct horse battery"));
  token = (await createApiToken(f.db, systemPrincipal("tests"), { name: "bot", role: "operator" })).token;
  // Same PORT as the auth server's origin list: serve the runs route on the auth server's port family.
  api = await serveRoutes({ "/api/runs": runsRoute });
});
afterAll(async () => {
  await api.close();
  await f.close();
});

/** The origin the cockpit is served from (PORT is the auth fixture's server). */
const trusted = () => `http://127.0.0.1:${f.server.port}`;

function post(headers: Record<string, string>, payload: string = body) {
  return fetch(`${api.url}/api/runs`, { method: "POST", headers, body: payload });
}

describe("CSRF: cookie-authenticated non-GET API requests", () => {
  it("are refused from a foreign, null or absent Origin (403)", async () => {
    for (const origin of ["http://evil.example", "null", undefined]) {
      const headers: Record<string, string> = { cookie, "content-type": "application/json" };
      if (origin) headers.origin = origin;
      const answer = await post(headers);
      expect(answer.status, String(origin)).toBe(403);
      expect(((await answer.json()) as { error: { reason: string } }).error.reason).toBe("csrf");
    }
  });

  it("are refused with a text/plain or form body even from the trusted origin (415)", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      expect((await post({ cookie, origin: trusted(), "content-type": type })).status, type).toBe(415);
    }
  });

  it("are accepted from the trusted origin, or Sec-Fetch-Site: same-origin, with application/json", async () => {
    expect((await post({ cookie, origin: trusted(), "content-type": "application/json" })).status).toBe(201);
    expect((await post({ cookie, "sec-fetch-site": "same-origin", "content-type": "application/json" })).status).toBe(
      201,
    );
    expect((await post({ cookie, "sec-fetch-site": "cross-site", "content-type": "application/json" })).status).toBe(
      403,
    );
  });

  it("leave bearer requests unaffected", async () => {
    const answer = await post({
      authorization: `Bearer ${token}`,
      origin: "http://evil.example",
      "content-type": "application/json",
    });
    expect(answer.status).toBe(201);
    // GET with a cookie from anywhere is a read, not a state change.
    expect((await fetch(`${api.url}/api/runs`, { headers: { cookie, origin: "http://evil.example" } })).status).toBe(
      200,
    );
  });
});
