import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { runs, turns } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { defineJob, loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime/create-run";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { jobDeclaration } from "@/tests/fixtures/jobs";
import { chartWindow } from "@/lib/time-range";
import { emptySeries, jobChartWindow, jobDurationHistogram, jobRunSeries } from "./job-series";
import { resourceSeries } from "./resource-series";

const operator: Principal = { kind: "user", id: "u-op", label: "op@flightdeck.local", role: "operator" };
const alpha = defineJob(jobDeclaration({ id: "series-alpha", title: "Series alpha" }));
const beta = defineJob(jobDeclaration({ id: "series-beta", title: "Series beta" }));

const DAY = 86_400_000;
const now = new Date();
const today = new Date(Math.floor(now.getTime() / DAY) * DAY);
const at = (daysAgo: number, ms = 0) => new Date(today.getTime() - daysAgo * DAY + 60_000 + ms);

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
  await loadJobRegistry(handle.db, [alpha, beta]);
  await syncModelEndpoints(handle.db, [{ name: "default", provider: "test", model: "test", maxConcurrency: 4 }]);
});
afterAll(async () => {
  await handle.drop();
});

async function run(
  jobId: string,
  state: "succeeded" | "failed" | "timed_out" | "cancelled" | "queued",
  createdAt: Date,
  durationMs: number,
  tokens: number,
): Promise<string> {
  const created = await handle.db.transaction((tx) =>
    createRun(tx, { jobId, input: {}, trigger: { kind: "manual" }, actor: operator }),
  );
  const patch: PgUpdateSetSource<typeof runs> = { state, createdAt, tokensUsed: tokens, updatedAt: sql`now()` };
  if (state !== "queued") {
    patch.startedAt = createdAt;
    patch.finishedAt = new Date(createdAt.getTime() + durationMs);
  }
  await handle.db.update(runs).set(patch).where(eq(runs.id, created.id));
  return created.id;
}

describe("job run series", () => {
  beforeAll(async () => {
    // alpha: two days ago 2 succeeded (1 s, 3 s) + 1 failed; today 1 succeeded (40 s), 1 cancelled, 1 queued.
    await run("series-alpha", "succeeded", at(2), 1_000, 100);
    await run("series-alpha", "succeeded", at(2, 1), 3_000, 300);
    await run("series-alpha", "failed", at(2, 2), 500, 50);
    await run("series-alpha", "succeeded", at(0), 40_000, 1_000);
    await run("series-alpha", "cancelled", at(0, 1), 10, 0);
    await run("series-alpha", "queued", at(0, 2), 0, 0);
    // beta: one timed-out run yesterday; one run older than the window.
    await run("series-beta", "timed_out", at(1), 70_000, 7);
    await run("series-beta", "succeeded", at(20), 1_000, 5);
  });

  it("buckets every job's runs per UTC day over 30 days in one query, zeros where nothing ran", async () => {
    const chart = chartWindow("30d", now);
    const series = await jobRunSeries(handle.db, { window: chart });
    const a = series.get("series-alpha");
    if (!a) throw new Error("no alpha series");
    expect(a.bucket).toBe("day");
    expect(a.span).toBe("last 30 days");
    expect(a.buckets).toHaveLength(30);
    expect(a.buckets.map((b) => b.at)).toEqual(chart.starts);
    expect(a.from).toBe(new Date(today.getTime() - 29 * DAY).toISOString());
    expect(a.buckets[27]).toMatchObject({ runs: 3, succeeded: 2, failed: 1, other: 0, p50Ms: 2_000, tokens: 450 });
    expect(a.buckets[28]).toMatchObject({ runs: 0, succeeded: 0, failed: 0, other: 0, p50Ms: null, tokens: 0 });
    expect(a.buckets[29]).toMatchObject({ runs: 3, succeeded: 1, failed: 0, other: 2, p50Ms: 40_000, tokens: 1_000 });
    expect(a.buckets.reduce((s, b) => s + b.runs, 0)).toBe(6);
    const b = series.get("series-beta");
    if (!b) throw new Error("no beta series");
    expect(b.buckets[28]).toMatchObject({ runs: 1, failed: 1, p50Ms: null, tokens: 7 });
    expect(b.buckets[9]).toMatchObject({ runs: 1, succeeded: 1 });
  });

  it("answers one job per 6 hours over 7 days, leaving older runs out", async () => {
    const one = await jobRunSeries(handle.db, { window: chartWindow("7d", now), jobId: "series-beta" });
    expect([...one.keys()]).toEqual(["series-beta"]);
    const buckets = one.get("series-beta")?.buckets ?? [];
    expect(buckets).toHaveLength(28);
    // The run 20 days ago is outside the window.
    expect(buckets.reduce((s, x) => s + x.runs, 0)).toBe(1);
    const empty = emptySeries(chartWindow("24h", now));
    expect(empty.buckets).toHaveLength(24);
    expect(empty.buckets.every((x) => x.runs === 0 && x.p50Ms === null)).toBe(true);
  });

  it("draws all time per day from the job's oldest run", async () => {
    const chart = await jobChartWindow(handle.db, "all", "series-beta");
    expect(chart.bucket).toBe("day");
    expect(chart.from).toBe(new Date(today.getTime() - 20 * DAY).toISOString());
    expect(chart.starts).toHaveLength(21);
    const series = (await jobRunSeries(handle.db, { window: chart, jobId: "series-beta" })).get("series-beta");
    expect(series?.buckets.reduce((s, x) => s + x.runs, 0)).toBe(2);
    expect(series?.buckets[0]).toMatchObject({ runs: 1, succeeded: 1 });
  });

  it("counts finished runs per duration bucket, succeeded and failed apart", async () => {
    const from = chartWindow("30d", now).from;
    const histogram = await jobDurationHistogram(handle.db, "series-alpha", from);
    const count = (fromMs: number) => histogram.find((b) => b.fromMs === fromMs);
    expect(count(0)).toMatchObject({ toMs: 1_000, succeeded: 0, failed: 1 });
    expect(count(1_000)).toMatchObject({ toMs: 2_000, succeeded: 1, failed: 0 });
    expect(count(2_000)).toMatchObject({ toMs: 5_000, succeeded: 1, failed: 0 });
    expect(count(30_000)).toMatchObject({ toMs: 60_000, succeeded: 1, failed: 0 });
    expect(histogram.at(-1)).toMatchObject({ fromMs: 3_600_000, toMs: null });
    expect(histogram.reduce((s, b) => s + b.succeeded + b.failed, 0)).toBe(4);
    const beta = await jobDurationHistogram(handle.db, "series-beta", from);
    expect(beta.find((b) => b.fromMs === 60_000)).toMatchObject({ failed: 1 });
  });
});

describe("resource series", () => {
  it("reports slots in use per endpoint per minute against capacity, and turn waits", async () => {
    const id = await run("series-alpha", "succeeded", new Date(Date.now() - 10 * 60_000), 1_000, 10);
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    await handle.db.insert(turns).values([
      // 30 s of one minute, and a turn spanning 90 s across two minutes.
      {
        id: "t-1",
        runId: id,
        index: 0,
        attempt: 1,
        status: "completed",
        workerId: "w",
        messagesIn: [],
        waitMs: 100,
        startedAt: new Date(minute),
        finishedAt: new Date(minute + 30_000),
      },
      {
        id: "t-2",
        runId: id,
        index: 1,
        attempt: 1,
        status: "completed",
        workerId: "w",
        messagesIn: [],
        waitMs: 300,
        startedAt: new Date(minute + 30_000),
        finishedAt: new Date(minute + 120_000),
      },
    ]);
    const series = await resourceSeries(handle.db, chartWindow("1h"));
    const endpoint = series.endpoints.find((e) => e.endpoint === "default");
    if (!endpoint) throw new Error("no default endpoint");
    expect(endpoint.capacity).toBe(4);
    expect(endpoint.buckets).toHaveLength(60);
    const i = endpoint.buckets.findIndex((m) => m.at === new Date(minute).toISOString());
    expect(endpoint.buckets[i]).toMatchObject({ slots: 1, turnsStarted: 2 });
    expect(endpoint.buckets[i + 1]).toMatchObject({ slots: 1, turnsStarted: 0 });
    expect(endpoint.buckets[i + 2]).toMatchObject({ slots: 0, turnsStarted: 0 });
    expect(endpoint.waits[i]).toMatchObject({ turns: 2, p50Ms: 200 });
    expect(endpoint.waits[i]?.p95Ms).toBe(290);
    expect(endpoint.waits[i + 1]).toMatchObject({ turns: 0, p50Ms: null });
  });
});
