import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, auditEvents, memoryHistory, runs, turns } from "@/db/schema";
import { supportTickets } from "@/domains/support/schema";
import { seedSupportDemo, startSupportDemo, supportPack } from "@/domains/support";
import { installPacks } from "@/lib/packs";
import { createAgentExecutor } from "@/lib/agent";
import { resetEnvCache } from "@/lib/env";
import { listModelEndpointConfigs } from "@/lib/models";
import { listRunNotifications } from "@/lib/tools";
import { decideApproval } from "@/lib/runtime/approvals";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, waitFor } from "../helpers/agent-fixtures";

/**
 * What `npm start` on a fresh clone does, offline: no model configured, so every turn is
 * played by the simulated model — and says so in turns and the audit trail.
 */
let handle: TestDatabase;
let worker: Worker;
let dataDir: string;
const lead = { kind: "user" as const, id: "u_lead", label: "lead@acme.example", role: "lead" as const };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "fd-support-sim-"));
  process.env.FLIGHTDECK_DATA_DIR = dataDir;
  resetEnvCache();
  handle = await createTestDatabase();
  await installJobs(handle.db, installPacks([supportPack]));
  worker = await startWorker({
    handle,
    executor: createAgentExecutor(),
    pollIntervalMs: 50,
    leaseMs: 10_000,
    logger: () => {},
  });
});
afterAll(async () => {
  await worker?.stop();
  delete process.env.FLIGHTDECK_DATA_DIR;
  resetEnvCache();
  await handle?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("support demo on the simulated model", () => {
  it("configures the default endpoint as simulated when nothing is set", () => {
    expect(listModelEndpointConfigs()).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "default", provider: "simulated", model: "simulated" })]),
    );
  });

  it("seeds once, delivers ticket.created once per open ticket, and the runs move", async () => {
    const first = await startSupportDemo(handle.db);
    expect(first.seeded).toBe(true);
    expect(first.runIds).toHaveLength(7);
    const again = await startSupportDemo(handle.db);
    expect(again).toEqual({ seeded: false, runIds: [] });
    expect(await seedSupportDemo(handle.db)).toEqual({ seeded: false });

    const byJob = await handle.db
      .select({ id: runs.id, jobId: runs.jobId })
      .from(runs)
      .where(inArray(runs.id, first.runIds));
    const ids = byJob.filter((r) => r.jobId === "triage-ticket").map((r) => r.id);
    expect(ids).toHaveLength(5);
    const others = byJob.filter((r) => r.jobId !== "triage-ticket");
    expect(others.map((r) => r.jobId).sort()).toEqual(["kb-refresh", "sla-sweep"]);
    const finishedOthers = await waitFor("sla-sweep and kb-refresh succeeded", async () => {
      const rows = await handle.db
        .select()
        .from(runs)
        .where(
          inArray(
            runs.id,
            others.map((o) => o.id),
          ),
        );
      return rows.every((r) => r.state === "succeeded") && rows;
    });
    expect(finishedOthers.find((r) => r.jobId === "sla-sweep")?.output).toEqual({ overdue: 2, notified: true });
    const sweepId = others.find((r) => r.jobId === "sla-sweep")?.id ?? "";
    expect(await listRunNotifications(handle.db, sweepId)).toEqual([
      expect.objectContaining({ level: "warning", title: "2 ticket(s) past SLA" }),
    ]);
    const kbTurns = await handle.db
      .select({ model: turns.model })
      .from(turns)
      .where(eq(turns.runId, others.find((r) => r.jobId === "kb-refresh")?.id ?? ""));
    expect(kbTurns.every((t) => t.model === "simulated/kb-refresh")).toBe(true);
    // Ada has two open tickets: one triage run holds the customer lock, the other waits for it.
    const waiting = await waitFor("triage runs waiting for approval, one for Ada's lock", async () => {
      const rows = await handle.db
        .select({ id: runs.id, state: runs.state, reason: runs.stateReason })
        .from(runs)
        .where(inArray(runs.id, ids));
      const approval = rows.filter((r) => r.state === "waiting" && r.reason === "approval");
      const lock = rows.filter((r) => r.state === "waiting" && r.reason === "lock:customers/ada@lovelace.example");
      return approval.length === 4 && lock.length === 1 && { lockWaiter: lock[0]?.id ?? "" };
    });
    const pending = await handle.db.select().from(approvals).where(inArray(approvals.runId, ids));
    const [rejected, ...approved] = pending;
    if (!rejected) throw new Error("no approvals");
    await decideApproval(handle.db, rejected.id, "rejected", lead, "tone is off");
    for (const a of approved) await decideApproval(handle.db, a.id, "approved", lead);
    // The holder finished and released the lock: the waiter ran and now waits for its own approval.
    const [late] = await waitFor("the lock waiter reaching its approval", async () => {
      const rows = await handle.db
        .select()
        .from(approvals)
        .where(and(eq(approvals.runId, waiting.lockWaiter), eq(approvals.status, "pending")));
      return rows.length === 1 && rows;
    });
    if (late) await decideApproval(handle.db, late.id, "approved", lead);

    const finished = await waitFor("triage runs succeeded", async () => {
      const rows = await handle.db.select().from(runs).where(inArray(runs.id, ids));
      return rows.every((r) => r.state === "succeeded") && rows;
    });
    const rejectedRun = finished.find((r) => r.id === rejected.runId);
    expect(rejectedRun?.output).toMatchObject({ replied: false });
    const ticketId = (rejectedRun?.output as { ticketId: string }).ticketId;
    const [ticket] = await handle.db.select().from(supportTickets).where(eq(supportTickets.id, ticketId));
    expect(ticket?.status).toBe("open");
    expect(finished.filter((r) => (r.output as { replied: boolean }).replied)).toHaveLength(4);
    // Each classification is in shared memory, attributed to the run that wrote it.
    const ticketHistory = await handle.db.select().from(memoryHistory).where(eq(memoryHistory.collection, "tickets"));
    expect(ticketHistory).toHaveLength(5);
    expect(new Set(ticketHistory.map((h) => h.runId))).toEqual(new Set(ids));
    const ada = await handle.db
      .select()
      .from(memoryHistory)
      .where(and(eq(memoryHistory.collection, "customers"), eq(memoryHistory.key, "ada@lovelace.example")));
    expect(ada.map((h) => h.version).sort()).toEqual([1, 2]);
    expect((ada.find((h) => h.version === 2)?.after as { ticketsTriaged: number }).ticketsTriaged).toBe(2);

    // Labelled simulated in the turn record and in the audit trail.
    const turnRows = await handle.db
      .select({ model: turns.model })
      .from(turns)
      .where(and(inArray(turns.runId, ids), eq(turns.status, "completed")));
    expect(new Set(turnRows.map((t) => t.model))).toEqual(new Set(["simulated/triage-ticket"]));
    const events = await handle.db.select().from(auditEvents).where(inArray(auditEvents.subjectId, ids));
    const turnEvents = events.filter((e) => e.action === "turn.completed");
    expect(turnEvents.length).toBeGreaterThanOrEqual(16);
    expect(turnEvents.every((e) => e.payload.model === "simulated/triage-ticket")).toBe(true);
    expect(
      events.filter((e) => e.action === "tool.called").every((e) => e.payload.model === "simulated/triage-ticket"),
    ).toBe(true);
  }, 120_000);
});
