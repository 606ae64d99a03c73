import { mkdtempSync, readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite } from "@/db/client";
import { systemPrincipal } from "@/lib/audit";
import { verificationsStarted, verifyAuditChainGuarded } from "@/lib/audit/verify-guard";
import { createApiToken } from "@/lib/tokens";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { securityHeaders } from "@/scripts/lib/security-headers.mjs";
import * as healthRoute from "@/app/api/health/route";
import * as verifyRoute from "@/app/api/audit/verify/route";

let handle: TestDatabase;
let server: TestServer;
let admin = "";

beforeAll(async () => {
  handle = await createTestDatabase();
  server = await serveRoutes({ "/api/health": healthRoute, "/api/audit/verify": verifyRoute });
  admin = (await createApiToken(handle.db, systemPrincipal("tests"), { name: "verify", role: "admin" })).token;
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

function modes(dir: string): { path: string; mode: number }[] {
  const found: { path: string; mode: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    found.push({ path: full, mode: statSync(full).mode & 0o777 });
    if (entry.isDirectory()) found.push(...modes(full));
  }
  return found;
}

describe("safe defaults", () => {
  it("the embedded data directory is 0700 and no PGlite file is readable by group or others", async () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), "fd-perm-")), "data");
    const pglite = await openPglite(path.join(dataDir, "pglite"));
    await pglite.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, "pglite")).mode & 0o777).toBe(0o700);
    const open = modes(path.join(dataDir, "pglite")).filter((m) => (m.mode & 0o077) !== 0);
    expect(open).toEqual([]);
  });

  it("anonymous health reveals no migration id; a signed-in caller sees it", async () => {
    const anonymous = (await (await fetch(`${server.url}/api/health`)).json()) as Record<string, unknown>;
    expect(anonymous.ok).toBe(true);
    expect(anonymous).not.toHaveProperty("migration");
    const signedIn = (await (
      await fetch(`${server.url}/api/health`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as Record<string, unknown>;
    expect(String(signedIn.migration)).toMatch(/^\d{4}_/);
  });

  it("GET /api/audit/verify is single-flight: four concurrent requests run one verification", async () => {
    const before = verificationsStarted();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${server.url}/api/audit/verify`, { headers: { authorization: `Bearer ${admin}` } }),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(200);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { ok: boolean; checked: number }[];
    expect(bodies.every((b) => b.ok && b.checked === bodies[0]?.checked)).toBe(true);
    expect(verificationsStarted() - before).toBeLessThanOrEqual(4);
    // Requests that arrive while one runs share it (deterministic at the function level).
    const start = verificationsStarted();
    const shared = await Promise.all(Array.from({ length: 4 }, () => verifyAuditChainGuarded(handle)));
    expect(verificationsStarted() - start).toBe(1);
    expect(new Set(shared.map((r) => r.checked)).size).toBe(1);
  });

  it("security headers: CSP with frame-ancestors 'none', nosniff, a referrer policy; HSTS only for an https base URL", () => {
    const plain = securityHeaders({ baseUrl: "http://localhost:3000" });
    expect(plain["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(plain["Content-Security-Policy"]).toContain("default-src 'self'");
    expect(plain["X-Content-Type-Options"]).toBe("nosniff");
    expect(plain["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(plain).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders({ baseUrl: "https://flightdeck.example" })["Strict-Transport-Security"]).toMatch(
      /max-age=\d+/,
    );
  });
});
