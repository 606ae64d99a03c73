import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { auditEvents, jobs, jobVersions, runs } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { verifyAuditChain } from "@/lib/audit/verify";
import { cronJob, jobDeclaration, signalJob } from "@/tests/fixtures/jobs";
import { defineJob } from "./define-job";
import { syncRegistry } from "./sync";
import { jobVersion } from "./version";
import { getJob, listJobs } from "./queries";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
});

async function auditOf(jobId: string) {
  return handle.db.select().from(auditEvents).where(eq(auditEvents.subjectId, jobId)).orderBy(asc(auditEvents.id));
}

describe("syncRegistry", () => {
  const v1 = defineJob(signalJob("triage-ticket", "ticket.created"));
  const other = defineJob(jobDeclaration({ id: "weekly-report" }));

  it("registers new jobs with a version row and an audit event each", async () => {
    const result = await syncRegistry(handle.db, [v1, other]);
    expect(result.registered.map((r) => r.id).sort()).toEqual(["triage-ticket", "weekly-report"]);
    const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, "triage-ticket"));
    expect(row?.currentVersion).toBe(jobVersion(v1));
    expect(row?.domain).toBe("tests");
    const events = await auditOf("triage-ticket");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "job.registered", actorKind: "system" });
    expect(events[0]?.payload).toMatchObject({ version: jobVersion(v1), previousVersion: null });
    expect(events[0]?.payload.changedFields).toEqual(expect.arrayContaining(["governance", "triggers", "agent"]));
    expect(events[0]?.authorization).toMatchObject({ authorizedBy: "jane.doe@acme.example" });
  });

  it("writes nothing when the same declarations are synced again", async () => {
    const before = await handle.db.select().from(auditEvents);
    const versionsBefore = await handle.db.select().from(jobVersions);
    const result = await syncRegistry(handle.db, [defineJob(signalJob("triage-ticket", "ticket.created")), other]);
    expect(result).toEqual({ registered: [], removed: [], unchanged: ["triage-ticket", "weekly-report"] });
    expect(await handle.db.select().from(auditEvents)).toHaveLength(before.length);
    expect(await handle.db.select().from(jobVersions)).toHaveLength(versionsBefore.length);
  });

  it("a changed declaration becomes a new version; existing runs keep theirs", async () => {
    const oldVersion = jobVersion(v1);
    await handle.db.insert(runs).values({
      id: "run-old",
      jobId: "triage-ticket",
      jobVersion: oldVersion,
      state: "queued",
      governance: v1.governance,
      triggerKind: "manual",
      actorKind: "system",
      actorLabel: "test",
      input: {},
      modelEndpoint: "default",
      budgetTokens: 1,
      budgetTurns: 1,
      budgetWallClockMs: 1,
      fairGroup: "tests",
    });
    const v2 = defineJob(
      signalJob("triage-ticket", "ticket.created", {
        budgets: { tokens: 50_000, turns: 4, wallClockMs: 60_000 },
        governance: { ...v1.governance, riskLevel: "limited" },
      }),
    );
    const result = await syncRegistry(handle.db, [v2, other]);
    expect(result.registered).toEqual([{ id: "triage-ticket", version: jobVersion(v2), previousVersion: oldVersion }]);

    const [run] = await handle.db.select().from(runs).where(eq(runs.id, "run-old"));
    expect(run?.jobVersion).toBe(oldVersion);
    const detail = await getJob(handle.db, "triage-ticket");
    expect(detail?.job.version).toBe(jobVersion(v2));
    expect(detail?.job.governance.riskLevel).toBe("limited");
    expect(detail?.versions.map((v) => v.version).sort()).toEqual([oldVersion, jobVersion(v2)].sort());
    expect(await getJob(handle.db, "no-such-job")).toBeNull();
    const oldRow = detail?.versions.find((v) => v.version === oldVersion);
    expect(oldRow?.current).toBe(false);
    expect(oldRow?.declaration.governance.riskLevel).toBe("minimal");

    const events = await auditOf("triage-ticket");
    expect(events.at(-1)?.payload).toEqual({
      version: jobVersion(v2),
      previousVersion: oldVersion,
      changedFields: ["budgets", "governance"],
      riskLevel: "limited",
      humanOversight: "none",
    });
  });

  it("marks jobs no longer declared as removed, and restores them when they return", async () => {
    const result = await syncRegistry(handle.db, [other]);
    expect(result.removed).toEqual(["triage-ticket"]);
    const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, "triage-ticket"));
    expect(row?.removedAt).toBeInstanceOf(Date);
    expect((await auditOf("triage-ticket")).at(-1)?.action).toBe("job.removed");
    expect((await listJobs(handle.db)).map((j) => j.id)).toEqual(["weekly-report"]);
    expect((await listJobs(handle.db, { includeRemoved: true })).map((j) => j.id).sort()).toEqual([
      "triage-ticket",
      "weekly-report",
    ]);
    // Removing again is a no-op.
    expect(await syncRegistry(handle.db, [other])).toEqual({
      registered: [],
      removed: [],
      unchanged: ["weekly-report"],
    });

    const back = await syncRegistry(handle.db, [v1, other]);
    expect(back.registered).toHaveLength(1);
    const last = (await auditOf("triage-ticket")).at(-1);
    expect(last?.action).toBe("job.registered");
    expect(last?.payload).toMatchObject({ version: jobVersion(v1), restored: true });
    // v1's version row existed already: reverting does not duplicate it.
    const versions = await handle.db.select().from(jobVersions).where(eq(jobVersions.jobId, "triage-ticket"));
    expect(versions).toHaveLength(2);
  });

  it("is safe when several instances sync the same declarations at once", async () => {
    const fresh = [defineJob(cronJob("nightly-digest", "0 2 * * *", "Europe/Berlin")), v1, other];
    const results = await Promise.all([1, 2, 3, 4].map(() => syncRegistry(handle.db, fresh)));
    expect(results.filter((r) => r.registered.length > 0)).toHaveLength(1);
    const events = await auditOf("nightly-digest");
    expect(events).toHaveLength(1);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });
});
