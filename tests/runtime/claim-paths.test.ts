import { eq, sql, TransactionRollbackError } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { runs } from "@/db/schema";
import type { AuditInput } from "@/lib/audit/types";
import { claimHandedOverSlot, claimNextRun } from "@/lib/runtime/claim";
import { selectClaimCandidate } from "@/lib/runtime/claim-order";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import type { TestDatabase } from "@/tests/helpers/db";
import { getRun, newRun, runtimeDatabase } from "@/tests/runtime/helpers";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await runtimeDatabase({ default: 10, narrow: 1 });
});
afterAll(async () => {
  await handle.drop();
});
const claim = (w = "w") => claimNextRun(handle.db, { workerId: w, leaseMs: 60_000 });
/** Looks at what a pick returns without keeping its row lock or writes. */
async function inRolledBack(fn: (tx: Tx) => Promise<void>) {
  await handle.db
    .transaction(async (tx) => {
      await fn(tx);
      tx.rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof TransactionRollbackError)) throw e;
    });
}
async function drain() {
  await handle.db.execute(
    sql`update runs set state = 'cancelled', state_reason = null, lease_token = null, lease_owner = null, lease_expires_at = null where state in ('queued', 'running', 'waiting')`,
  );
  await handle.db.execute(sql`delete from resource_windows`);
  await syncModelEndpoints(handle.db, [
    { name: "default", provider: "test", model: "test", maxConcurrency: 10 },
    { name: "narrow", provider: "test", model: "test", maxConcurrency: 1 },
  ]);
}
beforeEach(drain);

// The claim's pick (flightdeck_claim_candidate, drizzle/0030) on the paths the drain benches never take:
// endpoints at their limit, a handoff onto a full endpoint, candidates another transaction holds.
describe("claim paths", () => {
  it("first pick maps the run exactly as drizzle's select does (every column)", async () => {
    const r = await newRun(handle.db, "scripted", { turns: 1 });
    await handle.db.execute(
      sql`update runs set deadline = now() + interval '1 hour', title = 'x', trace_parent = 'tp' where id = ${r.id}`,
    );
    await inRolledBack(async (tx) => {
      const pick = await selectClaimCandidate(tx, { first: true, excludeEndpoints: [], skipIds: [], skipKeys: [] });
      const [viaDrizzle] = await tx.select().from(runs).where(eq(runs.id, r.id));
      expect(pick.run).toEqual(viaDrizzle);
      expect(Object.keys(pick.run ?? {}).sort()).toEqual(Object.keys(viaDrizzle ?? {}).sort());
      expect(pick.round.full).toEqual([]);
      expect(pick.round.tokenLimited).toEqual([]);
      expect(Math.abs(pick.round.nowMs - Date.now())).toBeLessThan(5_000);
      // a later pick (p_first false) answers no round
      const again = await selectClaimCandidate(tx, { excludeEndpoints: [], skipIds: [r.id], skipKeys: [] });
      expect(again.run).toBeUndefined();
    });
  });

  it("an endpoint at max concurrency is left out of the pick: the other endpoint's run is claimed and the full one's runs marked", async () => {
    const n1 = await newRun(handle.db, "other-endpoint", { turns: 1 });
    const c1 = await claim();
    expect(c1?.run.id).toBe(n1.id);
    const n2 = await newRun(handle.db, "other-endpoint", { turns: 1 });
    const d1 = await newRun(handle.db, "scripted", { turns: 1 });
    // put narrow's run first in claim order (older and earlier deadline) so only the exclusion keeps it out
    await handle.db.execute(sql`update runs set deadline = now() - interval '1 hour' where id = ${n2.id}`);
    const c2 = await claim();
    expect(c2?.run.id).toBe(d1.id);
    expect((await getRun(handle.db, n2.id)).stateReason).toBe("resource:narrow");
    expect((await getRun(handle.db, n2.id)).state).toBe("queued");
  });

  it("an endpoint whose token window is used up is full too (tokens_per_minute <= used)", async () => {
    await syncModelEndpoints(handle.db, [
      { name: "narrow", provider: "test", model: "test", maxConcurrency: 10, tokensPerMinute: 100 },
    ]);
    const n1 = await newRun(handle.db, "other-endpoint", { turns: 1 });
    const c1 = await claim();
    expect(c1?.run.id).toBe(n1.id);
    expect(c1?.tokenLimited).toBe(true);
    const [w] = rowsOf<{ used: number }>(
      await handle.db.execute(sql`select used from resource_windows where resource = 'endpoint:narrow'`),
    );
    expect(Number(w?.used)).toBe(100);
    const n2 = await newRun(handle.db, "other-endpoint", { turns: 1 });
    const d1 = await newRun(handle.db, "scripted", { turns: 1 });
    await handle.db.execute(sql`update runs set deadline = now() - interval '1 hour' where id = ${n2.id}`);
    await inRolledBack(async (tx) => {
      const pick = await selectClaimCandidate(tx, { first: true, excludeEndpoints: [], skipIds: [], skipKeys: [] });
      expect(pick.round.full).toEqual(["narrow"]);
      expect(pick.round.tokenLimited).toEqual(["narrow"]);
      expect(pick.run?.id).toBe(d1.id);
    });
    const c2 = await claim();
    expect(c2?.run.id).toBe(d1.id);
    expect(c2?.tokenLimited).toBe(false);
    expect((await getRun(handle.db, n2.id)).stateReason).toBe("resource:narrow");
  });

  it("a worker's endpoint set: full endpoints outside it are neither answered nor marked, their runs never picked", async () => {
    await syncModelEndpoints(handle.db, [
      { name: "narrow", provider: "test", model: "test", maxConcurrency: 10, tokensPerMinute: 100 },
    ]);
    // narrow's token window used up: full for a worker that has narrow.
    await handle.db.execute(sql`insert into resource_windows (resource, scope, window_start, used)
      values ('endpoint:narrow', '*', date_trunc('minute', now()), 100), ('endpoint:narrow', '*', date_trunc('minute', now()) + interval '1 minute', 100)`);
    const n1 = await newRun(handle.db, "other-endpoint", { turns: 1 });
    const d1 = await newRun(handle.db, "scripted", { turns: 1 });
    await inRolledBack(async (tx) => {
      const all = await selectClaimCandidate(tx, { first: true, excludeEndpoints: [], skipIds: [], skipKeys: [] });
      expect(all.round.full).toEqual(["narrow"]);
      const own = await selectClaimCandidate(tx, {
        first: true,
        excludeEndpoints: [],
        skipIds: [],
        skipKeys: [],
        endpoints: ["default"],
      });
      expect(own.round).toMatchObject({ full: [], tokenLimited: [] });
      expect(own.run?.id).toBe(d1.id);
      const none = await selectClaimCandidate(tx, {
        first: true,
        excludeEndpoints: [],
        skipIds: [d1.id],
        skipKeys: [],
        endpoints: ["default"],
      });
      expect(none.run).toBeUndefined();
      // The previous build's one-name form (0030's signature) still answers, forwarded to the set form.
      const [old] = rowsOf<{ candidate: string | null; full_endpoints: string[] }>(
        await tx.execute(sql`select candidate, full_endpoints
          from flightdeck_claim_candidate(true, '{}'::text[], '{}'::text[], '{}'::text[], 'default'::text, 1000)`),
      );
      expect(old).toMatchObject({ candidate: d1.id, full_endpoints: [] });
    });
    const c = await claimNextRun(handle.db, { workerId: "w", leaseMs: 60_000, endpoints: ["default"] });
    expect(c?.run.id).toBe(d1.id);
    expect(await getRun(handle.db, n1.id)).toMatchObject({ state: "queued", stateReason: null });
    // A worker that has narrow marks the wait.
    expect(await claimNextRun(handle.db, { workerId: "w", leaseMs: 60_000, endpoints: ["narrow"] })).toBeNull();
    expect((await getRun(handle.db, n1.id)).stateReason).toBe("resource:narrow");
  });

  it("a handoff whose endpoint is full returns null and marks nothing; one with room claims only that endpoint", async () => {
    const n1 = await newRun(handle.db, "other-endpoint", { turns: 3 });
    const c1 = await claim();
    expect(c1?.run.id).toBe(n1.id);
    const n2 = await newRun(handle.db, "other-endpoint", { turns: 1 });
    const d1 = await newRun(handle.db, "scripted", { turns: 1 });
    await handle.db.execute(sql`update runs set deadline = now() - interval '2 hour' where id = ${d1.id}`);
    if (!c1) throw new Error("no claim");
    // full: c1 still holds narrow's only slot
    const sink: AuditInput[] = [];
    const none = await handle.db.transaction((tx) =>
      claimHandedOverSlot(tx, c1, { workerId: "h", leaseMs: 60_000 }, sink),
    );
    expect(none).toBeNull();
    expect((await getRun(handle.db, n2.id)).stateReason).toBeNull();
    expect(sink).toEqual([]);
    // room: c1's lease ends (as its checkpoint would), the handoff takes narrow's oldest runnable run, never d1
    await handle.db.execute(
      sql`update runs set state = 'succeeded', lease_token = null, lease_owner = null, lease_expires_at = null where id = ${n1.id}`,
    );
    const next = await handle.db.transaction((tx) =>
      claimHandedOverSlot(tx, c1, { workerId: "h", leaseMs: 60_000 }, sink),
    );
    expect(next?.run.id).toBe(n2.id);
    expect(next?.handoffs).toBe(1);
  });
});

describe.runIf(!!process.env.TEST_DATABASE_URL)("a candidate another transaction holds (Postgres)", () => {
  it("skips a locked run (skipIds), then a key whose runs are all locked (skipKeys)", async () => {
    const a1 = await newRun(handle.db, "scripted", { turns: 1 });
    const a2 = await newRun(handle.db, "scripted", { turns: 1 });
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    try {
      await client.query("begin");
      await client.query("select 1 from runs where id = $1 for update", [a1.id]);
      await inRolledBack(async (tx) => {
        const p1 = await selectClaimCandidate(tx, { first: true, excludeEndpoints: [], skipIds: [], skipKeys: [] });
        expect(p1.run).toBeUndefined();
        expect(p1.candidateId).toBe(a1.id);
        const p2 = await selectClaimCandidate(tx, { excludeEndpoints: [], skipIds: [a1.id], skipKeys: [] });
        expect(p2.run?.id).toBe(a2.id);
      });
      const c = await claim("skipper");
      expect(c?.run.id).toBe(a2.id);
      await client.query("rollback");
      // a1's key now has a1 only (a2 was claimed); another key, far behind in the fair order, has b.
      await client.query("begin");
      await client.query("select 1 from runs where id = $1 for update", [a1.id]);
      const b = await newRun(handle.db, "other-endpoint", { turns: 1 });
      await handle.db.execute(sql`update runs set fair_group = 'other-key' where id = ${b.id}`);
      await handle.db.execute(sql`update scheduling_keys set vtime = vtime + 1e9 where key = 'other-key'`);
      await inRolledBack(async (tx) => {
        const p1 = await selectClaimCandidate(tx, { first: true, excludeEndpoints: [], skipIds: [], skipKeys: [] });
        expect(p1.candidateId).toBe(a1.id);
        const p2 = await selectClaimCandidate(tx, { excludeEndpoints: [], skipIds: [a1.id], skipKeys: [] });
        expect(p2.candidateId).toBeNull();
        expect(p2.pickedKey).toBe((await getRun(handle.db, a1.id)).fairGroup);
        const p3 = await selectClaimCandidate(tx, {
          excludeEndpoints: [],
          skipIds: [a1.id],
          skipKeys: [p2.pickedKey ?? ""],
        });
        expect(p3.run?.id).toBe(b.id);
      });
      const c2 = await claim("skipper2");
      expect(c2?.run.id).toBe(b.id);
      await client.query("rollback");
    } finally {
      await client.end();
    }
  });
});
