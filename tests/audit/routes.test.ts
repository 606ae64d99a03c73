import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "@/app/api/audit/route";
import * as verifyRoute from "@/app/api/audit/verify/route";
import * as checkpointRoute from "@/app/api/audit/checkpoint/route";
import * as verifierKeyRoute from "@/app/api/audit/verifier-key/route";
import * as eventRoute from "@/app/api/audit/events/[seq]/route";
import * as inclusionRoute from "@/app/api/audit/proof/inclusion/route";
import * as consistencyRoute from "@/app/api/audit/proof/consistency/route";
import * as healthRoute from "@/app/api/health/route";
import { indexAuditSearchBatch, sealBatch } from "@/lib/audit";
import { rfcLeafHash, rfcVerifyConsistency, rfcVerifyInclusion } from "./rfc9162";
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
  server = await serveRoutes({
    "/api/audit": auditRoute,
    "/api/audit/verify": verifyRoute,
    "/api/audit/checkpoint": checkpointRoute,
    "/api/audit/verifier-key": verifierKeyRoute,
    "/api/audit/events/[seq]": eventRoute,
    "/api/audit/proof/inclusion": inclusionRoute,
    "/api/audit/proof/consistency": consistencyRoute,
    "/api/health": healthRoute,
  });
  const system = { kind: "system" as const, id: "test", label: "test" };
  reviewer = (await createApiToken(handle.db, system, { name: "rev", role: "reviewer" })).token;
  operator = (await createApiToken(handle.db, system, { name: "op", role: "operator" })).token;
  for (let i = 0; i < 5; i += 1) await recordAudit(sampleAuditInput({ action: i < 2 ? "route.a" : "route.b" }));
  await sealBatch(handle.db);
  await recordAudit(sampleAuditInput({ action: "route.unsealed" }));
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

const get = (path: string, token?: string) =>
  fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("GET /api/audit/verify", () => {
  it("answers { ok, checked, firstBadSeq, ... } to a reviewer", async () => {
    const res = await get("/api/audit/verify", reviewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checked: number; firstBadSeq: number | null };
    expect(body).toMatchObject({ ok: true, checked: 7, firstBadSeq: null, problem: null, treeSize: 7, unsealed: 1 }); // 2 token creations + 5 events
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
    const page = (await res.json()) as { events: { id: number; action: string }[]; nextCursor: number | null };
    expect(page.events.map((e) => e.action)).toEqual(["route.b", "route.b"]);
    expect(page.nextCursor).toBe(page.events[1]?.id);
    const rest = (await (
      await get(`/api/audit?action=route.b&limit=2&cursor=${page.nextCursor}`, adminToken)
    ).json()) as {
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

const b64 = (s: string) => Buffer.from(s, "base64");

describe("the Merkle log over HTTP", () => {
  it("serves the checkpoint and verifier key as text/plain signed-note formats", async () => {
    const res = await get("/api/audit/checkpoint", reviewer);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const note = await res.text();
    expect(note).toMatch(
      /^flightdeck\.local\/audit\n7\n[A-Za-z0-9+/]{43}=\n\n\u2014 flightdeck\.local\/audit [A-Za-z0-9+/]{91}=\n$/,
    );
    const key = await get("/api/audit/verifier-key", adminToken);
    expect(key.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await key.text()).toMatch(/^flightdeck\.local\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}\n$/);
  });

  it("serves an event with its leaf string, leaf hash and sealed flag, and a proof that verifies", async () => {
    const event = (await (await get("/api/audit/events/6", reviewer)).json()) as {
      seq: number;
      canonical: string;
      leafHash: string;
      sealed: boolean;
      action: string;
    };
    expect(event).toMatchObject({ seq: 6, sealed: true, action: "route.b" });
    expect(rfcLeafHash(event.canonical).toString("base64")).toBe(event.leafHash);
    const note = await (await get("/api/audit/checkpoint", reviewer)).text();
    const root = b64(note.split("\n")[2] ?? "");
    const proof = (await (await get("/api/audit/proof/inclusion?seq=6", reviewer)).json()) as {
      seq: number;
      leafIndex: number;
      treeSize: number;
      leafHash: string;
      hashes: string[];
    };
    expect(proof).toMatchObject({ seq: 6, leafIndex: 5, treeSize: 7, leafHash: event.leafHash });
    expect(rfcVerifyInclusion(5, 7, b64(event.leafHash), proof.hashes.map(b64), root)).toBe(true);
    const consistency = (await (await get("/api/audit/proof/consistency?from=3&to=7", reviewer)).json()) as {
      from: number;
      to: number;
      hashes: string[];
    };
    expect(consistency).toMatchObject({ from: 3, to: 7 });
    const cpAt3 = (await (await get("/api/audit/proof/inclusion?seq=1&treeSize=3", reviewer)).json()) as {
      treeSize: number;
    };
    expect(cpAt3.treeSize).toBe(3);
    expect(consistency.hashes.length).toBeGreaterThan(0);
    expect(rfcVerifyConsistency(7, 7, root, root, [])).toBe(true);
  });

  it("says which bound is wrong: unsealed or out of range", async () => {
    const unsealed = await get("/api/audit/events/8", reviewer);
    expect(unsealed.status).toBe(404);
    expect(((await unsealed.json()) as { error: { message: string } }).error.message).toMatch(/seq 8/);
    const notYet = await get("/api/audit/proof/inclusion?seq=8", reviewer);
    expect(notYet.status).toBe(404);
    expect(((await notYet.json()) as { error: { message: string } }).error.message).toMatch(/not sealed yet/);
    const beyond = await get("/api/audit/proof/inclusion?seq=1&treeSize=99", reviewer);
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { error: { message: string } }).error.message).toMatch(/treeSize 99/);
    expect((await get("/api/audit/proof/consistency?from=9", reviewer)).status).toBe(400);
    expect((await get("/api/audit/proof/inclusion?seq=abc", reviewer)).status).toBe(400);
    expect((await get("/api/audit/events/zero", reviewer)).status).toBe(400);
  });

  it("refuses anonymous callers and operators on every audit route", async () => {
    for (const path of [
      "/api/audit/checkpoint",
      "/api/audit/verifier-key",
      "/api/audit/events/1",
      "/api/audit/proof/inclusion?seq=1",
      "/api/audit/proof/consistency?from=1",
    ]) {
      expect((await get(path)).status, path).toBe(401);
      expect((await get(path, operator)).status, path).toBe(403);
    }
  });

  it("shows the sealing backlog and the free-text index's in /api/health", async () => {
    type Health = { audit: { unsealed: number; lagMs: number; rejected: number; treeSize: number; unindexed: number } };
    const health = (await (await get("/api/health")).json()) as Health;
    expect(health.audit.unsealed).toBe(1);
    expect(health.audit.lagMs).toBeGreaterThanOrEqual(0);
    expect(health.audit.rejected).toBe(0);
    expect(health.audit.treeSize).toBeGreaterThan(0);
    expect(health.audit.unindexed).toBe(health.audit.treeSize);
    await indexAuditSearchBatch(handle.db, 10_000);
    const after = (await (await get("/api/health")).json()) as Health;
    expect([after.audit.unsealed, after.audit.unindexed]).toEqual([1, 0]);
  });
});

describe("after tampering", () => {
  it("verify names the tampered sequence", async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger all`);
      await tx.execute(
        sql`update audit_events set action = 'route.c' where id in (select event_id from audit_seqs where seq = 4)`,
      );
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_update_delete`);
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_truncate`);
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_insert_check`);
    });
    const res = await get("/api/audit/verify", adminToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, checked: 3, firstBadSeq: 4, problem: "mac" });
  });
});
