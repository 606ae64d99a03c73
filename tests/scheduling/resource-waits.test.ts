import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { resourceWaitSeries } from "@/lib/board";
import { resetEnvCache } from "@/lib/env";
import { requeueRefilledWaits } from "@/lib/resources/wake";
import { pruneWaitMinutes } from "@/lib/resources/wait-rollup";
import { createRun } from "@/lib/runtime/create-run";
import { chartWindow } from "@/lib/time-range";
import type { TestDatabase } from "@/tests/helpers/db";
import { operator, runtimeDatabase } from "@/tests/runtime/helpers";

/** Waits per rate-limited resource over time: recorded as they end, rolled up per minute, pruned, charted. */
let handle: TestDatabase;
beforeAll(async () => {
  handle = await runtimeDatabase();
});
afterEach(() => {
  delete process.env.FLIGHTDECK_TOOL_QUOTAS;
  resetEnvCache();
});
afterAll(async () => {
  await handle.drop();
});

/** A run parked in Waiting for `resource` since `secondsAgo`, in an earlier window (so the waker requeues it). */
async function waitingRun(resource: string, secondsAgo: number): Promise<string> {
  const run = await handle.db.transaction((tx) =>
    createRun(tx, { jobId: "scripted", input: { turns: 1 }, trigger: { kind: "manual" }, actor: operator }),
  );
  await handle.db.execute(sql`
    update runs set state = 'waiting', state_reason = 'resource', waiting_for = ${resource},
      state_since = now() - make_interval(secs => ${secondsAgo}),
      updated_at = date_trunc('minute', now()) - interval '1 second'
    where id = ${run.id}`);
  return run.id;
}

type Minute = { resource: string; waits: number | string; wait_ms: number | string; max_wait_ms: number | string };
const minutes = async () =>
  rowsOf<Minute>(
    await handle.db.execute(sql`
      select resource, sum(waits) as waits, sum(wait_ms) as wait_ms, max(max_wait_ms) as max_wait_ms
      from resource_wait_minutes group by resource order by resource`),
  ).map((r) => ({ resource: r.resource, waits: Number(r.waits), ms: Number(r.wait_ms), max: Number(r.max_wait_ms) }));

describe("resource waits over time", () => {
  it("rolls each ended wait into its resource's minute, in the transaction that requeues the run", async () => {
    process.env.FLIGHTDECK_TOOL_QUOTAS = JSON.stringify({ http_fetch: { callsPerMinute: 1 } });
    resetEnvCache();
    await waitingRun("tool:http_fetch", 30);
    await waitingRun("tool:http_fetch", 90);
    await waitingRun("writes", 10);
    expect((await requeueRefilledWaits(handle.db, "t")).requeued).toBe(3);

    const [tool, writes] = await minutes();
    expect(tool).toMatchObject({ resource: "tool:http_fetch", waits: 2 });
    // The waits are measured on the database clock, to the requeue's transaction: a few ms over the set age.
    expect(tool?.ms).toBeGreaterThanOrEqual(120_000);
    expect(tool?.ms).toBeLessThan(125_000);
    expect(tool?.max).toBeGreaterThanOrEqual(90_000);
    expect(tool?.max).toBeLessThan(92_500);
    expect(writes).toMatchObject({ resource: "writes", waits: 1 });

    // Another wait ending later adds to the rollup, it does not replace it.
    await waitingRun("tool:http_fetch", 5);
    expect((await requeueRefilledWaits(handle.db, "t")).requeued).toBe(1);
    expect((await minutes())[0]).toMatchObject({ resource: "tool:http_fetch", waits: 3 });
  });

  it("charts waits per resource and bucket: count, mean and longest", async () => {
    const series = await resourceWaitSeries(handle.db, chartWindow("1h"));
    expect(series.map((s) => s.resource)).toEqual(["tool:http_fetch", "writes"]);
    const tool = series[0];
    expect(tool?.buckets).toHaveLength(60);
    const busy = tool?.buckets.filter((b) => b.waits > 0) ?? [];
    expect(busy.reduce((s, b) => s + b.waits, 0)).toBe(3);
    expect(Math.max(...busy.map((b) => b.maxMs ?? 0))).toBeGreaterThanOrEqual(90_000);
    expect(busy.every((b) => b.meanMs !== null && b.meanMs > 0)).toBe(true);
    expect(tool?.buckets.filter((b) => b.waits === 0).every((b) => b.meanMs === null && b.maxMs === null)).toBe(true);
  });

  it("keeps 90 days: pruneWaitMinutes (run by the daily retention pass) deletes older minutes", async () => {
    await handle.db.execute(sql`
      insert into resource_wait_minutes (resource, minute, waits, wait_ms, max_wait_ms)
      values ('writes', date_trunc('minute', now()) - interval '91 days', 1, 1000, 1000)`);
    expect(await pruneWaitMinutes(handle.db)).toBe(1);
    expect((await minutes()).reduce((s, m) => s + m.waits, 0)).toBe(4);
  });
});
