import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { openPostgres, type DatabaseHandle } from "@/db/client";
import { auditEvents, cronTicks, jobs, runs } from "@/db/schema";
import { defineJob } from "@/lib/jobs/define-job";
import { listJobs } from "@/lib/jobs/queries";
import { registerJobDefinitions } from "@/lib/jobs/registry";
import type { JobDefinition } from "@/lib/jobs/schema";
import { syncRegistry } from "@/lib/jobs/sync";
import { verifyAuditChain } from "@/lib/audit/verify";
import { silentLogger } from "@/lib/runtime/log";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { cronJob, jobDeclaration } from "@/tests/fixtures/jobs";
import { nextTickAfter, ticksBetween } from "@/lib/jobs/cron-schedule";
import { evaluateCronTicks } from "./cron-ticks";
import { startCronScheduler } from "./cron";
import { listMissedTicks } from "./missed-ticks";

let handle: TestDatabase;
const defs = {
  hourly: defineJob(cronJob("hourly-sweep", "0 * * * *")),
  minutely: defineJob(cronJob("minutely-check", "* * * * *")),
  nyMorning: defineJob(cronJob("ny-morning", "0 9 * * *", "America/New_York")),
  utcMorning: defineJob(cronJob("utc-morning", "0 9 * * *", "UTC")),
  manual: defineJob(jobDeclaration({ id: "manual-only" })),
};
const all: JobDefinition[] = Object.values(defs);

beforeAll(async () => {
  handle = await createTestDatabase();
  registerJobDefinitions(all);
  await syncRegistry(handle.db, registerJobDefinitions(all));
});
afterAll(async () => {
  await handle.drop();
});

const at = (iso: string) => new Date(iso);

/** Pretends the job's schedule took effect at `iso` (sync stamps the real clock). */
async function scheduledSince(jobId: string, iso: string): Promise<void> {
  await handle.db
    .update(jobs)
    .set({ scheduleSince: at(iso) })
    .where(eq(jobs.id, jobId));
}

async function ticksOf(jobId: string) {
  return handle.db.select().from(cronTicks).where(eq(cronTicks.jobId, jobId)).orderBy(asc(cronTicks.tickAt));
}

async function runsOf(jobId: string) {
  return handle.db.select().from(runs).where(eq(runs.jobId, jobId));
}

describe("cron schedules and timezones", () => {
  it("reads 0 9 * * * in the trigger's timezone, across DST", () => {
    const winter = at("2026-03-02T00:00:00Z");
    expect(nextTickAfter("0 9 * * *", "UTC", winter)?.toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(nextTickAfter("0 9 * * *", "America/New_York", winter)?.toISOString()).toBe("2026-03-02T14:00:00.000Z");
    // US daylight saving starts 2026-03-08: 9:00 EDT is 13:00 UTC.
    expect(nextTickAfter("0 9 * * *", "America/New_York", at("2026-03-09T00:00:00Z"))?.toISOString()).toBe(
      "2026-03-09T13:00:00.000Z",
    );
  });

  it("enumerates due ticks, keeping only the newest when there are too many", () => {
    const few = ticksBetween("0 * * * *", "UTC", at("2026-03-01T00:00:00Z"), at("2026-03-01T03:00:00Z"), 10);
    expect(few).toEqual({
      ticks: [at("2026-03-01T01:00:00Z"), at("2026-03-01T02:00:00Z"), at("2026-03-01T03:00:00Z")],
      truncated: false,
    });
    const many = ticksBetween("* * * * *", "UTC", at("2026-03-01T00:00:00Z"), at("2026-03-04T00:00:00Z"), 1000);
    expect(many.truncated).toBe(true);
    expect(many.ticks).toHaveLength(1000);
    expect(many.ticks.at(-1)?.toISOString()).toBe("2026-03-04T00:00:00.000Z");
    expect(many.ticks[0]?.toISOString()).toBe("2026-03-03T07:21:00.000Z");
  });

  it("fires each job at 9:00 in its own timezone", async () => {
    await scheduledSince("ny-morning", "2026-03-02T00:00:00Z");
    await scheduledSince("utc-morning", "2026-03-02T00:00:00Z");
    const only = [defs.nyMorning, defs.utcMorning];

    const utcNine = await evaluateCronTicks(handle.db, { now: at("2026-03-02T09:00:05Z"), definitions: only });
    expect(utcNine.fired.map((f) => [f.jobId, f.tickAt.toISOString()])).toEqual([
      ["utc-morning", "2026-03-02T09:00:00.000Z"],
    ]);
    const nyNine = await evaluateCronTicks(handle.db, { now: at("2026-03-02T14:00:05Z"), definitions: only });
    expect(nyNine.fired.map((f) => [f.jobId, f.tickAt.toISOString()])).toEqual([
      ["ny-morning", "2026-03-02T14:00:00.000Z"],
    ]);
    const [run] = await runsOf("ny-morning");
    expect(run).toMatchObject({ triggerKind: "schedule", triggerRef: "2026-03-02T14:00:00.000Z", actorKind: "system" });
    const listed = await listJobs(handle.db, { now: at("2026-03-02T15:00:00Z") });
    const ny = listed.find((j) => j.id === "ny-morning");
    expect(ny?.nextFireAt).toBe("2026-03-03T14:00:00.000Z");
    expect(ny?.triggers[0]).toMatchObject({ kind: "schedule", nextFireAt: "2026-03-03T14:00:00.000Z" });
    expect(listed.find((j) => j.id === "manual-only")?.nextFireAt).toBeNull();
  });
});

describe("missed ticks", () => {
  it("records ticks missed while nothing ran, fires only the latest within grace", async () => {
    await scheduledSince("hourly-sweep", "2026-04-01T00:00:00Z");
    const only = [defs.hourly];
    const result = await evaluateCronTicks(handle.db, { now: at("2026-04-01T05:00:20Z"), definitions: only });
    expect(result.fired.map((f) => f.tickAt.toISOString())).toEqual(["2026-04-01T05:00:00.000Z"]);
    expect(result.missed).toEqual([{ jobId: "hourly-sweep", count: 4, truncated: false }]);
    expect(await runsOf("hourly-sweep")).toHaveLength(1);
    expect((await ticksOf("hourly-sweep")).map((t) => [t.tickAt.toISOString(), t.status])).toEqual([
      ["2026-04-01T01:00:00.000Z", "missed"],
      ["2026-04-01T02:00:00.000Z", "missed"],
      ["2026-04-01T03:00:00.000Z", "missed"],
      ["2026-04-01T04:00:00.000Z", "missed"],
      ["2026-04-01T05:00:00.000Z", "fired"],
    ]);
    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "cron.missed"), eq(auditEvents.subjectId, "hourly-sweep")));
    expect(audit?.payload).toMatchObject({
      count: 4,
      first: "2026-04-01T01:00:00.000Z",
      last: "2026-04-01T04:00:00.000Z",
    });

    const missed = await listMissedTicks(handle.db, { jobId: "hourly-sweep" });
    expect(missed.map((m) => m.tickAt)).toEqual([
      "2026-04-01T04:00:00.000Z",
      "2026-04-01T03:00:00.000Z",
      "2026-04-01T02:00:00.000Z",
      "2026-04-01T01:00:00.000Z",
    ]);
    expect((await listJobs(handle.db)).find((j) => j.id === "hourly-sweep")?.missedTicks).toBe(4);

    // Evaluating again changes nothing; the next tick fires on time.
    const again = await evaluateCronTicks(handle.db, { now: at("2026-04-01T05:30:00Z"), definitions: only });
    expect(again).toEqual({ fired: [], missed: [], errors: [] });
    const six = await evaluateCronTicks(handle.db, { now: at("2026-04-01T06:00:01Z"), definitions: only });
    expect(six.fired).toHaveLength(1);
    expect(await runsOf("hourly-sweep")).toHaveLength(2);
  });

  it("records a tick that passed beyond the grace as missed instead of firing it late", async () => {
    const result = await evaluateCronTicks(handle.db, { now: at("2026-04-01T07:05:00Z"), definitions: [defs.hourly] });
    expect(result.fired).toEqual([]);
    expect(result.missed).toEqual([{ jobId: "hourly-sweep", count: 1, truncated: false }]);
  });

  it("does not fire removed jobs", async () => {
    await handle.db
      .update(jobs)
      .set({ removedAt: sql`now()` })
      .where(eq(jobs.id, "hourly-sweep"));
    const result = await evaluateCronTicks(handle.db, { now: at("2026-04-01T08:00:01Z"), definitions: [defs.hourly] });
    expect(result).toEqual({ fired: [], missed: [], errors: [] });
    await handle.db.update(jobs).set({ removedAt: null }).where(eq(jobs.id, "hourly-sweep"));
  });
});

describe("exactly once across instances", () => {
  let second: DatabaseHandle;
  beforeAll(async () => {
    // On Postgres a second connection pool, as a second instance would have; PGlite is one process.
    second = handle.url ? await openPostgres(handle.url, 10) : handle;
  });
  afterAll(async () => {
    if (second !== handle) await second.close();
  });
  beforeEach(async () => {
    await scheduledSince("minutely-check", "2026-05-01T00:00:00Z");
  });

  it("two evaluators racing over the same ticks create one run per tick", async () => {
    const minutes = 20;
    const only = [defs.minutely];
    for (let m = 1; m <= minutes; m++) {
      const base = Date.parse("2026-05-01T00:00:00Z") + m * 60_000;
      await Promise.all(
        [0, 1, 2, 3].map((i) =>
          evaluateCronTicks(i % 2 === 0 ? handle.db : second.db, {
            now: new Date(base + 500 + i * 700),
            definitions: only,
          }),
        ),
      );
    }
    const ticks = await ticksOf("minutely-check");
    expect(ticks).toHaveLength(minutes);
    expect(ticks.every((t) => t.status === "fired" && t.runId !== null)).toBe(true);
    const created = await runsOf("minutely-check");
    expect(created).toHaveLength(minutes);
    expect(new Set(created.map((r) => r.triggerRef)).size).toBe(minutes);
    expect(new Set(ticks.map((t) => t.runId))).toEqual(new Set(created.map((r) => r.id)));
  });

  it("two evaluators racing after downtime record each missed tick once", async () => {
    const now = at("2026-05-01T03:00:10Z");
    const results = await Promise.all(
      [handle.db, second.db, handle.db, second.db].map((db) =>
        evaluateCronTicks(db, { now, definitions: [defs.minutely] }),
      ),
    );
    const ticks = await ticksOf("minutely-check");
    const missed = ticks.filter((t) => t.status === "missed");
    // 00:21 … 02:59 passed unrecorded (00:01–00:20 fired in the previous test); 03:00 fires.
    expect(missed).toHaveLength(159);
    expect(results.reduce((n, r) => n + r.missed.reduce((k, m) => k + m.count, 0), 0)).toBe(159);
    expect(results.flatMap((r) => r.fired)).toHaveLength(1);
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "cron.missed"), eq(auditEvents.subjectId, "minutely-check")));
    expect(events.reduce((n, e) => n + Number(e.payload.count), 0)).toBe(159);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });
});

describe("startCronScheduler", () => {
  it("fires on its interval with an injected clock and stops cleanly", async () => {
    await scheduledSince("utc-morning", "2026-06-01T00:00:00Z");
    await handle.db.delete(cronTicks).where(eq(cronTicks.jobId, "utc-morning"));
    const scheduler = startCronScheduler({
      handle,
      now: () => at("2026-06-01T09:00:03Z"),
      intervalMs: 100,
      definitions: () => [defs.utcMorning],
      logger: silentLogger,
    });
    try {
      await expect
        .poll(async () => (await ticksOf("utc-morning")).map((t) => t.status), { timeout: 10_000 })
        .toEqual(["fired"]);
    } finally {
      await scheduler.stop();
    }
    expect(await scheduler.runOnce()).toBeNull();
  });

  it("one leader at a time; another instance takes over when it stops", async () => {
    const other: DatabaseHandle = handle.url ? await openPostgres(handle.url, 2) : handle;
    const options = { intervalMs: 60_000, definitions: () => [] as JobDefinition[], logger: silentLogger };
    const a = startCronScheduler({ handle, ...options });
    const b = startCronScheduler({ handle: other, ...options });
    try {
      expect(await a.runOnce()).not.toBeNull();
      expect(a.isLeader()).toBe(true);
      if (handle.kind === "postgres") {
        expect(await b.runOnce()).toBeNull();
        expect(b.isLeader()).toBe(false);
        await a.stop();
        expect(await b.runOnce()).not.toBeNull();
        expect(b.isLeader()).toBe(true);
      } else {
        // PGlite is a single process: every scheduler in it leads.
        expect(await b.runOnce()).not.toBeNull();
      }
    } finally {
      await a.stop();
      await b.stop();
      if (other !== handle) await other.close();
    }
  });
});

it("ignores jobs without schedules", async () => {
  const result = await evaluateCronTicks(handle.db, { now: new Date(), definitions: [defs.manual] });
  expect(result).toEqual({ fired: [], missed: [], errors: [] });
  const manualRuns = await handle.db
    .select()
    .from(runs)
    .where(inArray(runs.jobId, ["manual-only"]));
  expect(manualRuns).toHaveLength(0);
});
