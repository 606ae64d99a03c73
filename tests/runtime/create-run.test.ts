import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditEvents, jobs, runs } from "@/db/schema";
import { actionRegistry, runAction } from "@/lib/actions/define-action";
import { AppError } from "@/lib/errors";
import { claimNextRun } from "@/lib/runtime/claim";
import { createManualRun, createRun } from "@/lib/runtime/create-run";
import "@/lib/actions/runs";
import type { TestDatabase } from "@/tests/helpers/db";
import { runtimeDatabase, getRun, newRun, operator } from "./helpers";
import { defineJob } from "@/lib/jobs";
import { loadJobRegistry } from "@/lib/jobs";
import { jobDeclaration } from "@/tests/fixtures/jobs";
import { runtimeTestJobs } from "./fixtures/jobs";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await runtimeDatabase();
});
afterAll(async () => {
  await handle.drop();
});

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("createRun", () => {
  it("snapshots version, governance, budgets, scheduling and endpoint, and audits run.created", async () => {
    const { id, state } = await newRun(handle.db, "few-turns", { turns: 1 });
    expect(state).toBe("queued");
    const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, "few-turns"));
    const run = await getRun(handle.db, id);
    expect(run).toMatchObject({
      jobVersion: job?.currentVersion,
      state: "queued",
      triggerKind: "manual",
      actorKind: "user",
      actorId: "u-op",
      actorLabel: "op@flightdeck.local",
      modelEndpoint: "default",
      // budgets.turns 10, agent.maxTurns 2 → 2
      budgetTurns: 2,
      budgetTokens: 10_000,
      budgetWallClockMs: 60_000,
      fairGroup: "tests",
      weight: 1,
      priority: 0,
      deadline: null,
      attempt: 1,
      input: { turns: 1, turnMs: 0, tokensPerTurn: 10, ignoreAbort: false },
    });
    expect(run.governance).toMatchObject({ owner: "owner@acme.example", humanOversight: "none", riskLevel: "minimal" });
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, "run.created")));
    expect(event).toMatchObject({ actorKind: "user", actorId: "u-op" });
    expect(event?.payload).toMatchObject({
      jobId: "few-turns",
      jobVersion: job?.currentVersion,
      trigger: { kind: "manual", ref: null },
      state: "queued",
    });
  });

  it("refuses bad input (400 with issues) and unknown jobs (404); signal payloads are taken as validated", async () => {
    const bad = await errorOf(newRun(handle.db, "scripted", { turns: -1 }));
    expect(bad.code).toBe("bad_request");
    expect(bad.details?.issues).toBeInstanceOf(Array);
    expect((await errorOf(newRun(handle.db, "nope"))).code).toBe("not_found");
    const viaSignal = await handle.db.transaction((tx) =>
      createRun(tx, {
        jobId: "scripted",
        input: { anything: true },
        trigger: { kind: "signal", ref: "thing.happened" },
        actor: operator,
      }),
    );
    expect(await getRun(handle.db, viaSignal.id)).toMatchObject({
      input: { anything: true },
      triggerKind: "signal",
      triggerRef: "thing.happened",
    });
  });

  it("keeps a run's version when the declaration changes, and refuses runs of a removed job", async () => {
    const { id } = await newRun(handle.db, "scripted");
    const before = await getRun(handle.db, id);
    const changed = runtimeTestJobs.map((j) => (j.id === "scripted" ? { ...j, description: "Changed." } : j));
    await loadJobRegistry(handle.db, changed);
    const after = await newRun(handle.db, "scripted");
    expect((await getRun(handle.db, after.id)).jobVersion).not.toBe(before.jobVersion);
    expect((await getRun(handle.db, id)).jobVersion).toBe(before.jobVersion);

    await loadJobRegistry(
      handle.db,
      changed.filter((j) => j.id !== "urgent"),
    );
    expect((await errorOf(newRun(handle.db, "urgent"))).code).toBe("not_found");
    await loadJobRegistry(handle.db, runtimeTestJobs);
  });

  it("refuses a manual run of a job that declares no manual trigger (409), through the API's path and the startRun action", async () => {
    const refused = await errorOf(newRun(handle.db, "signal-only"));
    expect(refused.code).toBe("conflict");
    expect(refused.status).toBe(409);
    expect(refused.message).toBe('Job "signal-only" does not declare a manual trigger');
    expect((await errorOf(createManualRun(handle.db, operator, { jobId: "signal-only", input: {} }))).code).toBe(
      "conflict",
    );
    const action = actionRegistry.get("runs.start");
    expect(action).toBeDefined();
    if (action) {
      expect(await runAction(action, operator, { jobId: "signal-only", input: {} })).toEqual({
        ok: false,
        error: { code: "conflict", message: 'Job "signal-only" does not declare a manual trigger' },
      });
    }
    expect(await handle.db.select().from(runs).where(eq(runs.jobId, "signal-only"))).toEqual([]);
    // Its own trigger still starts it.
    const viaSignal = await handle.db.transaction((tx) =>
      createRun(tx, {
        jobId: "signal-only",
        input: { turns: 1 },
        trigger: { kind: "signal", ref: "scripted.requested" },
        actor: operator,
      }),
    );
    expect((await getRun(handle.db, viaSignal.id)).triggerKind).toBe("signal");
    await handle.db.execute(sql`update runs set state = 'cancelled' where job_id = 'signal-only'`);
  });

  it("sets a deadline from scheduling.deadlineMs relative to creation", async () => {
    const timed = defineJob(
      jobDeclaration({ id: "with-deadline", scheduling: { group: "g", weight: 2, priority: 1, deadlineMs: 600_000 } }),
    );
    await loadJobRegistry(handle.db, [...runtimeTestJobs, timed]);
    const { id } = await newRun(handle.db, "with-deadline");
    const run = await getRun(handle.db, id);
    expect(run.deadline && run.deadline.getTime() - run.createdAt.getTime()).toBe(600_000);
    expect(run).toMatchObject({ fairGroup: "g", weight: 2, priority: 1 });
    await loadJobRegistry(handle.db, runtimeTestJobs);
    await handle.db.execute(sql`update runs set state = 'cancelled' where job_id = 'with-deadline'`);
  });
});

describe("claim order", () => {
  it("claims by priority, then earliest deadline (none last), then age", async () => {
    await handle.db.execute(sql`update runs set state = 'cancelled' where state in ('queued', 'running', 'waiting')`);
    const old = await newRun(handle.db, "scripted");
    const urgent = await newRun(handle.db, "urgent");
    const soon = await newRun(handle.db, "scripted");
    const later = await newRun(handle.db, "scripted");
    await handle.db.execute(sql`update runs set deadline = now() + interval '1 hour' where id = ${later.id}`);
    await handle.db.execute(sql`update runs set deadline = now() + interval '1 minute' where id = ${soon.id}`);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const claim = await claimNextRun(handle.db, { workerId: "order", leaseMs: 60_000 });
      if (claim) order.push(claim.run.id);
    }
    expect(order).toEqual([urgent.id, soon.id, later.id, old.id]);
    expect(await claimNextRun(handle.db, { workerId: "order", leaseMs: 60_000 })).toBeNull();
  });
});
