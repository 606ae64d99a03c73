import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { runs } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { defineJob, loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime/create-run";
import { pauseRun } from "@/lib/runtime/controls";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { jobDeclaration } from "@/tests/fixtures/jobs";
import { boardDelta, boardSnapshot, boardUpdate } from "./queries";
import { jobRunStats } from "./job-stats";
import { endpointUsage } from "./resources";

const operator: Principal = { kind: "user", id: "u-op", label: "op@flightdeck.local", role: "operator" };
const triage = defineJob(
  jobDeclaration({
    id: "board-triage",
    title: "Board triage",
    governance: { ...jobDeclaration().governance, owner: "support@acme.example", riskLevel: "limited" },
  }),
);
const sweep = defineJob(
  jobDeclaration({ id: "board-sweep", title: "Board sweep", agent: { ...jobDeclaration().agent, model: "narrow" } }),
);

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
  await loadJobRegistry(handle.db, [triage, sweep]);
  await syncModelEndpoints(handle.db, [
    { name: "default", provider: "test", model: "test", maxConcurrency: 4 },
    { name: "narrow", provider: "test", model: "test", maxConcurrency: 1 },
  ]);
});
afterAll(async () => {
  await handle.drop();
});

async function newRun(jobId: string): Promise<string> {
  const run = await handle.db.transaction((tx) =>
    createRun(tx, { jobId, input: {}, trigger: { kind: "manual" }, actor: operator }),
  );
  return run.id;
}

async function setRun(id: string, patch: PgUpdateSetSource<typeof runs>): Promise<void> {
  await handle.db
    .update(runs)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(runs.id, id));
}

describe("board snapshot and delta", () => {
  const ids: Record<string, string> = {};

  it("shows every active run with its job, owner, risk and budget, and the job titles", async () => {
    ids.queued = await newRun("board-triage");
    ids.paused = await newRun("board-triage");
    await pauseRun(handle.db, ids.paused, operator);
    const snapshot = await boardSnapshot(handle.db);
    expect(snapshot.kind).toBe("snapshot");
    expect(snapshot.truncated).toBe(false);
    const queued = snapshot.runs.find((r) => r.id === ids.queued);
    expect(queued).toMatchObject({
      jobId: "board-triage",
      state: "queued",
      owner: "support@acme.example",
      risk: "limited",
      turnsUsed: 0,
      budgetTurns: 4,
      budgetTokens: 10_000,
      retried: false,
    });
    expect(queued?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(snapshot.runs.find((r) => r.id === ids.paused)?.state).toBe("paused");
    expect(snapshot.jobs).toEqual(
      expect.arrayContaining([
        { id: "board-triage", title: "Board triage", owner: "support@acme.example", risk: "limited" },
      ]),
    );
  });

  it("keeps failed runs until retried, and only the last day of finished runs", async () => {
    ids.failed = await newRun("board-triage");
    await setRun(ids.failed, {
      state: "failed",
      stateReason: "budget",
      error: "turn budget exhausted (4/4)\nmore",
      finishedAt: sql`now()`,
    });
    ids.oldDone = await newRun("board-sweep");
    await setRun(ids.oldDone, { state: "succeeded", finishedAt: sql`now() - interval '2 days'` });
    ids.done = await newRun("board-sweep");
    await setRun(ids.done, { state: "succeeded", finishedAt: sql`now()` });

    let snapshot = await boardSnapshot(handle.db);
    const failed = snapshot.runs.find((r) => r.id === ids.failed);
    expect(failed).toMatchObject({
      state: "failed",
      reason: "budget",
      error: "turn budget exhausted (4/4)",
      retried: false,
    });
    expect(snapshot.runs.map((r) => r.id)).toContain(ids.done);
    expect(snapshot.runs.map((r) => r.id)).not.toContain(ids.oldDone);

    ids.retry = await newRun("board-triage");
    await setRun(ids.retry, { retryOf: ids.failed });
    snapshot = await boardSnapshot(handle.db);
    expect(snapshot.runs.find((r) => r.id === ids.failed)?.retried).toBe(true);
    expect(snapshot.runs.find((r) => r.id === ids.retry)?.retryOf).toBe(ids.failed);
  });

  it("a delta carries only runs changed since the cursor (with overlap), and a later change", async () => {
    const { cursor } = await boardSnapshot(handle.db);
    // Rows written well before the cursor are not repeated once the overlap has passed.
    await handle.db
      .update(runs)
      .set({ updatedAt: sql`now() - interval '1 minute'` })
      .where(sql`true`);
    const quiet = await boardDelta(handle.db, cursor);
    expect(quiet?.runs).toEqual([]);
    expect(quiet && quiet.cursor >= cursor).toBe(true);

    await pauseRun(handle.db, ids.queued ?? "", operator);
    const delta = await boardDelta(handle.db, quiet?.cursor ?? cursor);
    expect(delta?.runs.map((r) => [r.id, r.state])).toEqual([[ids.queued, "paused"]]);
  });

  it("answers a snapshot when asked without a cursor", async () => {
    expect((await boardUpdate(handle.db)).kind).toBe("snapshot");
    expect((await boardUpdate(handle.db, new Date().toISOString())).kind).toBe("delta");
  });
});

describe("job run stats", () => {
  it("counts runs, success rate over finished outcomes and the median duration, per job", async () => {
    const a = await newRun("board-sweep");
    const b = await newRun("board-sweep");
    const c = await newRun("board-sweep");
    await setRun(a, { state: "succeeded", startedAt: sql`now() - interval '10 seconds'`, finishedAt: sql`now()` });
    await setRun(b, { state: "succeeded", startedAt: sql`now() - interval '30 seconds'`, finishedAt: sql`now()` });
    await setRun(c, { state: "timed_out", startedAt: sql`now() - interval '5 seconds'`, finishedAt: sql`now()` });
    const stats = (await jobRunStats(handle.db, "board-sweep")).get("board-sweep");
    // Earlier tests left two more succeeded sweeps (one of them 2 days old, still in the window).
    expect(stats).toMatchObject({ runs: 5, succeeded: 4, failed: 1, cancelled: 0, active: 0 });
    expect(stats?.successRate).toBeCloseTo(0.8);
    expect(stats?.medianDurationMs).toBeGreaterThan(0);
    const all = await jobRunStats(handle.db);
    expect([...all.keys()].sort()).toEqual(["board-sweep", "board-triage"]);
  });
});

describe("endpoint usage", () => {
  it("reports capacity, live leases and the runs held back by a full endpoint", async () => {
    const holder = await newRun("board-sweep");
    const waiter = await newRun("board-sweep");
    await setRun(holder, {
      state: "running",
      leaseToken: "lease-1",
      leaseOwner: "w1",
      leaseExpiresAt: sql`now() + interval '1 minute'`,
    });
    await setRun(waiter, { stateReason: "resource:narrow" });
    const usage = await endpointUsage(handle.db);
    const narrow = usage.find((e) => e.name === "narrow");
    expect(narrow).toMatchObject({ capacity: 1, inUse: 1, waiting: 1, queued: 1 });
    expect(narrow?.holders.map((r) => r.id)).toEqual([holder]);
    expect(narrow?.waiters.map((r) => r.id)).toEqual([waiter]);
    expect(usage.find((e) => e.name === "default")).toMatchObject({ capacity: 4, inUse: 0, waiting: 0 });
  });
});
