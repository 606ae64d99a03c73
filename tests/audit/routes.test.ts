import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "@/app/api/audit/route";
import * as verifyRoute from "@/app/api/audit/verify/route";
import { recordAudit, sampleAuditInput } from "./fixtures";
import { resetEnvCache } from "@/lib/env";
import { createApiToken } from "@/lib/tokens/create";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { serveRoutes, type TestServer } from "../auth/http";

const adminToken = `fd_audit_routes_admin_${"x".repeat(24)}`;
let handle: TestDatabase;
let server: TestServer;
let reviewer: string;
let operator: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  process.env.FLIGHTDECK_ADMIN_TOKEN = adminToken;
  resetEnvCache();
  server = await serveRoutes({ "/api/audit": auditRoute, "/api/audit/verify": verifyRoute });
  const system = { kind: "system" as const, id: "test", label: "test" };
  reviewer = (await createApiToken(handle.db, system, { name: "rev", role: "reviewer" })).token;
  operator = (await createApiToken(handle.db, system, { name: "op", role: "operator" })).token;
  for (let i = 0; i < 5; i += 1) await recordAudit(sampleAuditInput({ action: i < 2 ? "route.a" : "route.b" }));
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

const get = (path: string, token?: string) =>
  fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("GET /api/audit/verify", () => {
  it("answers { ok, checked, firstBadSeq } to a reviewer", async () => {
    const res = await get("/api/audit/verify", reviewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checked: number; firstBadSeq: number | null };
    expect(body).toEqual({ ok: true, checked: body.checked, firstBadSeq: null });
    expect(body.checked).toBeGreaterThanOrEqual(7); // 2 token creations + 5 events
  });

  it("refuses anonymous callers and operators", async () => {
    expect((await get("/api/audit/verify")).status).toBe(401);
    expect((await get("/api/audit/verify", operator)).status).toBe(403);
  });
});

describe("GET /api/audit", () => {
  it("lists filtered events newest first with a cursor", async () => {
    const res = await get("/api/audit?action=route.b&limit=2", adminToken);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { events: { seq: number; action: string }[]; nextCursor: number | null };
    expect(page.events.map((e) => e.action)).toEqual(["route.b", "route.b"]);
    expect(page.nextCursor).toBe(page.events[1]?.seq);
    const rest = (await (await get(`/api/audit?action=route.b&limit=2&cursor=${page.nextCursor}`, adminToken)).json()) as {
      events: { seq: number }[];
      nextCursor: number | null;
    };
    expect(rest.events).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
  });

  it("answers 400 with the zod issues for bad filters", async () => {
    for (const query of ["limit=0", "actorKind=robot", "from=yesterday", "cursor=abc", "acton=typo"]) {
      const res = await get(`/api/audit?${query}`, reviewer);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; issues: unknown[] } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.issues.length).toBeGreaterThan(0);
    }
  });

  it("refuses operators", async () => {
    expect((await get("/api/audit", operator)).status).toBe(403);
  });
});

describe("after tampering", () => {
  it("verify names the tampered sequence", async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger all`);
      await tx.execute(sql`update audit_events set action = 'route.c' where seq = 4`);
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_update_delete`);
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_truncate`);
    });
    const res = await get("/api/audit/verify", adminToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, checked: 3, firstBadSeq: 4 });
  });
});
