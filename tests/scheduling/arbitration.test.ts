import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/db/schema";
import { rowsOf } from "@/db/rows";
import { systemPrincipal } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { resetEnvCache } from "@/lib/env";
import { claimNextRun } from "@/lib/runtime/claim";
import { createRun } from "@/lib/runtime/create-run";
import { reacquireEndpointSlot, releaseEndpointSlot } from "@/lib/resources/endpoint-slot";
import { setKeyWeight } from "@/lib/scheduling/admin";
import { describeWaitPosition, runWaitPosition, runWaitPositions } from "@/lib/scheduling/queries";
import { createApiToken } from "@/lib/tokens";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import type { TestDatabase } from "@/tests/helpers/db";
import { runtimeDatabase, operator } from "@/tests/runtime/helpers";
import * as runsRoute from "@/app/api/runs/route";
import * as priorityRoute from "@/app/api/runs/[id]/priority/route";
import * as schedulingRoute from "@/app/api/scheduling/route";
import * as keyRoute from "@/app/api/scheduling/keys/[key]/route";

let handle: TestDatabase;
let server: TestServer;
const tokens = new Map<Role, string>();
const admin: Principal = { kind: "user", id: "u-admin", label: "admin@flightdeck.local", role: "admin" };

beforeAll(async () => {
  handle = await runtimeDatabase({ default: 10_000, narrow: 1 });
  server = await serveRoutes({
    "/api/runs": runsRoute,
    "/api/runs/[id]/priority": priorityRoute,
    "/api/scheduling": schedulingRoute,
    "/api/scheduling/keys/[key]": keyRoute,
  });
  for (const role of ["reviewer", "operator", "admin"] as const) {
    const created = await createApiToken(handle.db, systemPrincipal("tests"), { name: `sched-${role}`, role });
    tokens.set(role, created.token);
  }
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

async function call(method: string, path: string, role: Role | null, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = role ? tokens.get(role) : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown> & { error?: { issues?: { path: unknown[] }[] } },
  };
}

async function enqueue(key: string, n: number, extra: { priority?: number; jobId?: string } = {}): Promise<string[]> {
  return handle.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const run = await createRun(tx, {
        jobId: extra.jobId ?? "scripted",
        input: { turns: 1 },
        trigger: { kind: "manual" },
        actor: operator,
        fairShareKey: key,
        priority: extra.priority,
      });
      ids.push(run.id);
    }
    return ids;
  });
}

/** Claims n turns (holding every lease) and returns the keys served, in order. */
async function claimKeys(n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const claim = await claimNextRun(handle.db, { workerId: "t", leaseMs: 60_000 });
    if (!claim) break;
    keys.push(claim.run.fairGroup);
  }
  return keys;
}

/** Ends every lease so the next scenario starts clean (runs finish). */
async function drain(): Promise<void> {
  await handle.db.execute(
    sql`update runs set state = 'cancelled', lease_token = null, lease_owner = null, lease_expires_at = null where state in ('queued', 'running', 'waiting')`,
  );
}

describe("fair-share claim (VTC)", () => {
  it("interleaves a small key with a big burst queued before it, and keeps the counters equal to the runs", async () => {
    await enqueue("burst-a", 100);
    const b = await enqueue("small-b", 5);
    const served = await claimKeys(12);
    expect(served.slice(0, 10).filter((k) => k === "small-b")).toHaveLength(5);
    const [counts] = rowsOf<{ runnable: number; leased: number; real_runnable: number; real_leased: number }>(
      await handle.db.execute(sql`
        select k.runnable, k.leased,
          (select count(*) from runs where fair_group = 'burst-a' and state in ('queued','running') and lease_token is null)::int as real_runnable,
          (select count(*) from runs where fair_group = 'burst-a' and state = 'running' and lease_token is not null)::int as real_leased
        from scheduling_keys k where k.key = 'burst-a'`),
    );
    expect(counts?.runnable).toBe(counts?.real_runnable);
    expect(counts?.leased).toBe(counts?.real_leased);
    const [turn] = rowsOf<{ fair_key: string; estimated_cost: number }>(
      await handle.db.execute(sql`select fair_key, estimated_cost from turns where run_id = ${b[0] ?? ""}`),
    );
    expect(turn).toMatchObject({ fair_key: "small-b", estimated_cost: 100 });
    await drain();
  });

  it("serves keys in proportion to weights set ahead of traffic (3:1)", async () => {
    await setKeyWeight(handle.db, admin, "heavy", 3);
    await enqueue("heavy", 60);
    await enqueue("light", 60);
    const served = await claimKeys(40);
    const heavy = served.filter((k) => k === "heavy").length;
    expect(heavy).toBeGreaterThanOrEqual(29);
    expect(heavy).toBeLessThanOrEqual(31);
    await drain();
  });

  it("lifts a key that becomes active to the least virtual time of the active keys (no banked credit)", async () => {
    await enqueue("old-1", 50);
    await enqueue("old-2", 50);
    await claimKeys(40);
    await enqueue("newcomer", 30);
    const served = await claimKeys(12);
    // A newcomer starting at 0 would take all 12; lifted, it shares with the others.
    const newcomer = served.filter((k) => k === "newcomer").length;
    expect(newcomer).toBeGreaterThanOrEqual(3);
    expect(newcomer).toBeLessThanOrEqual(6);
    await drain();
  });

  it("serves a key returning from idle first, one of its own turns ahead at most; a key with no finished turn gets no credit", async () => {
    // "trickle" sorts after "steady-…": lifted only to the least virtual time, it would lose the tie.
    const served = async (avgCost: number | null) => {
      await enqueue("steady-1", 40);
      await enqueue("steady-2", 40);
      await enqueue("trickle", 1);
      await claimKeys(3);
      await handle.db.execute(sql`update scheduling_keys set avg_cost = ${avgCost} where key = 'trickle'`);
      await handle.db.execute(
        sql`update runs set state = 'cancelled', lease_token = null where fair_group = 'trickle' and state = 'running'`,
      );
      await claimKeys(10);
      await enqueue("trickle", 5);
      const keys = await claimKeys(9);
      await drain();
      return keys;
    };
    const credited = await served(100);
    expect(credited[0]).toBe("trickle");
    // One turn of credit, then its share of three keys: 1 + 9 / 3 at most.
    expect(credited.filter((k) => k === "trickle").length).toBeLessThanOrEqual(4);
    expect(credited.filter((k) => k === "trickle").length).toBeGreaterThanOrEqual(3);
    const uncredited = await served(null);
    expect(uncredited[0]).not.toBe("trickle");
  });

  it("serves the top priority class first, ages a lower class past the ageing time, and states position", async () => {
    process.env.FLIGHTDECK_SCHEDULING_AGEING_MS = "1000";
    resetEnvCache();
    try {
      const [low] = await enqueue("low-key", 1, { priority: -5 });
      await enqueue("high-key", 20, { priority: 5 });
      expect(await claimKeys(3)).toEqual(["high-key", "high-key", "high-key"]);
      const position = await runWaitPosition(handle.db, low ?? "");
      expect(position).toMatchObject({ resource: "default", key: "low-key" });
      expect(position?.position).toBeGreaterThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await claimKeys(1)).toEqual(["low-key"]);
    } finally {
      delete process.env.FLIGHTDECK_SCHEDULING_AGEING_MS;
      resetEnvCache();
      await drain();
    }
  });
});

describe("queue positions", () => {
  it("answers the positions of several waiting runs in one statement, as the single query does, in claim order", async () => {
    // One transaction each: runs created together share their creation time.
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 3; i++) a.push(...(await enqueue("pos-a", 1)));
    for (let i = 0; i < 2; i++) b.push(...(await enqueue("pos-b", 1)));
    const ids = [...a, ...b];
    const batch = await runWaitPositions(handle.db, [...ids, "missing-run"]);
    expect(batch.has("missing-run")).toBe(false);
    for (const id of ids) expect(batch.get(id)).toEqual(await runWaitPosition(handle.db, id));
    // Within a key the oldest is ahead; the first run of each key stands before its key's later runs.
    const at = (id: string | undefined) => batch.get(id ?? "")?.position ?? 0;
    expect(at(a[0])).toBeLessThan(at(a[1]));
    expect(at(a[1])).toBeLessThan(at(a[2]));
    expect(at(b[0])).toBeLessThan(at(b[1]));
    expect(describeWaitPosition({ resource: "default", key: "pos-a", position: 3, overShare: true })).toBe(
      "3rd for default; key pos-a is over its share",
    );
    await drain();
  });
});

describe("endpoint slots", () => {
  it("a provider backoff gives the slot back: another run is claimed meanwhile, and the retry waits for a slot", async () => {
    const [first, second] = await enqueue("slots", 2, { jobId: "other-endpoint" });
    const a = await claimNextRun(handle.db, { workerId: "t", leaseMs: 60_000 });
    expect(a?.run.id).toBe(first);
    expect(await claimNextRun(handle.db, { workerId: "t", leaseMs: 60_000 })).toBeNull();
    const [reason] = rowsOf<{ state_reason: string }>(
      await handle.db.execute(sql`select state_reason from runs where id = ${second ?? ""}`),
    );
    expect(reason?.state_reason).toBe("resource:narrow");
    await releaseEndpointSlot(handle.db, first ?? "", a?.leaseToken ?? "");
    const b = await claimNextRun(handle.db, { workerId: "t", leaseMs: 60_000 });
    expect(b?.run.id).toBe(second);
    let reacquired = false;
    const retry = reacquireEndpointSlot(
      handle.db,
      first ?? "",
      a?.leaseToken ?? "",
      "narrow",
      new AbortController().signal,
    ).then(() => (reacquired = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(reacquired).toBe(false);
    await handle.db.execute(
      sql`update runs set state = 'succeeded', lease_token = null, lease_expires_at = null where id = ${second ?? ""}`,
    );
    await retry;
    expect(reacquired).toBe(true);
    await drain();
  });
});

describe("scheduling API", () => {
  it("PUT /api/scheduling/keys/{key}: admin only, audited, 400 naming the field", async () => {
    expect((await call("PUT", "/api/scheduling/keys/acme.example", "admin", { weight: 3 })).status).toBe(200);
    expect((await call("PUT", "/api/scheduling/keys/acme.example", "operator", { weight: 3 })).status).toBe(403);
    expect((await call("PUT", "/api/scheduling/keys/acme.example", null, { weight: 3 })).status).toBe(401);
    for (const weight of [0, -1, "3"]) {
      const bad = await call("PUT", "/api/scheduling/keys/acme.example", "admin", { weight });
      expect(bad.status).toBe(400);
      expect(bad.json.error?.issues?.[0]?.path).toEqual(["weight"]);
    }
    const long = await call("PUT", `/api/scheduling/keys/${"k".repeat(201)}`, "admin", { weight: 2 });
    expect(long.status).toBe(400);
    expect(long.json.error?.issues?.[0]?.path).toEqual(["key"]);
    const blank = await call("PUT", "/api/scheduling/keys/%20", "admin", { weight: 2 });
    expect(blank.status).toBe(400);
    expect(blank.json.error?.issues?.[0]?.path).toEqual(["key"]);
    const audit = rowsOf<{ action: string }>(
      await handle.db.execute(
        sql`select action from audit_events where subject_type = 'fair_share_key' and subject_id = 'acme.example'`,
      ),
    );
    expect(audit.map((a) => a.action)).toEqual(["scheduling.weight_set"]);
    const listed = await call("GET", "/api/scheduling", "reviewer");
    expect(listed.status).toBe(200);
    expect(listed.json.keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: "acme.example", weight: 3, weightSource: "admin", queued: 0 }),
      ]),
    );
  });

  it("POST /api/runs takes fairShareKey and priority; POST /api/runs/{id}/priority re-prioritises (audited)", async () => {
    const created = await call("POST", "/api/runs", "operator", {
      jobId: "scripted",
      input: { turns: 1 },
      fairShareKey: "tenant-z",
      priority: 7,
    });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    const [row] = rowsOf<{ fair_group: string; priority: number }>(
      await handle.db.execute(sql`select fair_group, priority from runs where id = ${id}`),
    );
    expect(row).toEqual({ fair_group: "tenant-z", priority: 7 });
    const badRun = await call("POST", "/api/runs", "operator", { jobId: "scripted", priority: 5000 });
    expect(badRun.status).toBe(400);
    expect(badRun.json.error?.issues?.[0]?.path).toEqual(["priority"]);
    const emptyKey = await call("POST", "/api/runs", "operator", { jobId: "scripted", fairShareKey: "" });
    expect(emptyKey.json.error?.issues?.[0]?.path).toEqual(["fairShareKey"]);

    const changed = await call("POST", `/api/runs/${id}/priority`, "operator", { priority: -3 });
    expect(changed).toMatchObject({ status: 200, json: { id, priority: -3, previous: 7 } });
    const outOfRange = await call("POST", `/api/runs/${id}/priority`, "operator", { priority: 1001 });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.json.error?.issues?.[0]?.path).toEqual(["priority"]);
    expect((await call("POST", `/api/runs/${id}/priority`, "reviewer", { priority: 1 })).status).toBe(403);
    const audit = rowsOf<{ action: string }>(
      await handle.db.execute(
        sql`select action from audit_events where subject_id = ${id} and action = 'run.priority_changed'`,
      ),
    );
    expect(audit).toHaveLength(1);
    const [lane] = rowsOf<{ runnable: number }>(
      await handle.db.execute(sql`select runnable from scheduling_lanes where key = 'tenant-z' and priority = -3`),
    );
    expect(lane?.runnable).toBe(1);
    await drain();
  });
});
