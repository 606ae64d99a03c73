import { mkdtemp, rm } from "node:fs/promises";
import { openWorkspace } from "@/lib/workspace";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, notifications, runs, turns } from "@/db/schema";
import { supportReplies, supportTickets } from "@/domains/support/schema";
import { kbRefresh, slaSweep, startSupportDemo, supportPack, triageTicket } from "@/domains/support";
import { installPacks } from "@/lib/packs";
import { kbRefreshScript } from "@/domains/support/jobs/kb-refresh";
import { slaSweepScript } from "@/domains/support/jobs/sla-sweep";
import { triageScript } from "@/domains/support/jobs/triage-ticket";
import { createAgentExecutor } from "@/lib/agent";
import { resetEnvCache } from "@/lib/env";
import type { SimulatedScript } from "@/lib/models";
import { decideApproval } from "@/lib/runtime/approvals";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, waitFor } from "../helpers/agent-fixtures";
import { startOpenAiLoopback, type Loopback } from "../helpers/openai-loopback";
import { scriptedResponder } from "../helpers/scripted-model-server";

/**
 * The done criteria: the support jobs run end to end through the runtime (worker,
 * leases, checkpoints, approvals) on a model served by a loopback OpenAI-compatible server,
 * and a model that misbehaves — a forbidden tool, a path outside the workspace, bad
 * arguments — is refused, audited, and the run carries on to completion.
 */
let handle: TestDatabase;
let server: Loopback;
let worker: Worker;
let dataDir: string;

/** Triage as the demo script plays it, plus three misbehaving calls on the second turn. */
const misbehavingTriage: SimulatedScript = (state) => {
  const reply = triageScript(state);
  if (state.step !== 1) return reply;
  return {
    ...reply,
    toolCalls: [
      { toolName: "delete_customer", input: { email: "ada@lovelace.example" } },
      { toolName: "write_file", input: { path: "../../../../etc/passwd", content: "root::0:0::/:/bin/sh" } },
      { toolName: "lookup_customer", input: { email: "not-an-email" } },
      ...(reply.toolCalls ?? []),
    ],
  };
};

const lead = { kind: "user" as const, id: "u_lead", label: "lead@acme.example", role: "lead" as const };

const states = async (ids: string[]) =>
  handle.db
    .select({ id: runs.id, state: runs.state, error: runs.error, output: runs.output })
    .from(runs)
    .where(inArray(runs.id, ids));

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "fd-support-e2e-"));
  server = await startOpenAiLoopback(
    scriptedResponder([
      { match: (s) => s === triageTicket.agent.instructions, script: misbehavingTriage },
      { match: (s) => s === slaSweep.agent.instructions, script: slaSweepScript },
      { match: (s) => s === kbRefresh.agent.instructions, script: kbRefreshScript },
    ]),
  );
  process.env.FLIGHTDECK_MODEL_BASE_URL = server.baseUrl;
  process.env.FLIGHTDECK_MODEL_ID = "loopback-support-model";
  process.env.FLIGHTDECK_DATA_DIR = dataDir;
  resetEnvCache();
  handle = await createTestDatabase();
  await installJobs(handle.db, installPacks([supportPack]));
  worker = await startWorker({
    handle,
    executor: createAgentExecutor(),
    pollIntervalMs: 50,
    leaseMs: 10_000,
    concurrency: 4,
    logger: () => {},
  });
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  for (const k of ["FLIGHTDECK_MODEL_BASE_URL", "FLIGHTDECK_MODEL_ID", "FLIGHTDECK_DATA_DIR"]) delete process.env[k];
  resetEnvCache();
  await handle?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("support pack end to end over the OpenAI-compatible provider", () => {
  it("triages every demo ticket: refusals audited, reply sent after a lead's approval, run succeeded", async () => {
    const { seeded, runIds: all } = await startSupportDemo(handle.db);
    expect(seeded).toBe(true);
    expect(all).toHaveLength(7);
    const triage = await handle.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(inArray(runs.id, all), eq(runs.jobId, triageTicket.id)));
    const runIds = triage.map((r) => r.id);
    expect(runIds).toHaveLength(5);

    // Each run drafts, then parks send_reply for approval; Ada's second ticket waits for her lock.
    await waitFor("triage runs waiting: four for approval, one for the customer lock", async () => {
      const rows = await handle.db
        .select({ state: runs.state, reason: runs.stateReason })
        .from(runs)
        .where(inArray(runs.id, runIds));
      const approval = rows.filter((r) => r.state === "waiting" && r.reason === "approval").length;
      const lock = rows.filter(
        (r) => r.state === "waiting" && r.reason === "lock:customers/ada@lovelace.example",
      ).length;
      return approval === 4 && lock === 1 && rows;
    });
    const pending = await handle.db
      .select()
      .from(approvals)
      .where(and(inArray(approvals.runId, runIds), eq(approvals.status, "pending")));
    expect(pending).toHaveLength(4);
    expect(pending.every((a) => a.kind === "tool" && a.subject.startsWith("send_reply:"))).toBe(true);
    // Nothing reached a customer before approval.
    expect(await handle.db.select().from(supportReplies).where(inArray(supportReplies.runId, runIds))).toHaveLength(0);

    for (const a of pending) await decideApproval(handle.db, a.id, "approved", lead, "looks good");
    // The first Ada run finished and released the lock: the second runs up to its own approval.
    const late = await waitFor("the lock waiter's approval", async () => {
      const rows = await handle.db
        .select()
        .from(approvals)
        .where(and(inArray(approvals.runId, runIds), eq(approvals.status, "pending")));
      return rows.length === 1 && rows;
    });
    for (const a of late) await decideApproval(handle.db, a.id, "approved", lead, "looks good");
    const done = await waitFor("all triage runs succeeded", async () => {
      const rows = await states(runIds);
      if (rows.some((r) => r.state === "failed")) throw new Error(`a run failed: ${JSON.stringify(rows)}`);
      return rows.every((r) => r.state === "succeeded") && rows;
    });

    const ada = done.find((r) => (r.output as { ticketId?: string }).ticketId === "tkt_1001");
    expect(ada?.output).toEqual({ category: "bug", priority: "urgent", replied: true, ticketId: "tkt_1001" });
    const tickets = await handle.db
      .select()
      .from(supportTickets)
      .where(inArray(supportTickets.id, ["tkt_1001", "tkt_1002", "tkt_1003", "tkt_1004", "tkt_1005"]));
    expect(tickets.every((t) => t.status === "answered")).toBe(true);
    expect(await handle.db.select().from(supportReplies).where(inArray(supportReplies.runId, runIds))).toHaveLength(5);

    for (const runId of runIds) {
      // The three misbehaving calls: refused, audited, the run went on.
      expect(await auditFor(handle.db, runId, "tool.policy_violation")).toHaveLength(1);
      expect((await auditFor(handle.db, runId, "workspace.escape_refused"))[0]?.payload.attemptedPath).toBe(
        "../../../../etc/passwd",
      );
      expect(await auditFor(handle.db, runId, "tool.invalid_input")).toHaveLength(1);
      const [draft] = await handle.db
        .select()
        .from(turns)
        .where(and(eq(turns.runId, runId), eq(turns.index, 1)));
      expect(draft?.model).toBe("openai-compatible:loopback-support-model");
      expect(draft?.inputTokens).toBe(120);
      const text = (
        await (
          await openWorkspace(runId, { db: handle.db })
        ).readFile(
          `drafts/${(done.find((d) => d.id === runId)?.output as { ticketId: string }).ticketId}.md`,
          1_000_000,
        )
      ).content;
      expect(text).toMatch(/^Hi /);
    }
    const called = await auditFor(handle.db, runIds[0] ?? "", "tool.called");
    expect(called.map((e) => `${e.payload.tool}:${e.payload.outcome}`)).toEqual([
      "lookup_customer:succeeded",
      "delete_customer:refused",
      "write_file:refused",
      "lookup_customer:refused",
      "write_file:succeeded",
      "state_set:succeeded",
      "memory_write:succeeded",
      "memory_read:succeeded",
      "memory_write:succeeded",
      "send_reply:succeeded",
    ]);
  }, 120_000);

  it("sla-sweep notifies operators about overdue tickets; kb-refresh writes articles into its workspace", async () => {
    await handle.db.update(supportTickets).set({ status: "open" }).where(eq(supportTickets.id, "tkt_1004"));
    const sweep = await newRun(handle.db, slaSweep.id);
    const kb = await newRun(handle.db, kbRefresh.id);
    const rows = await waitFor("sweep and kb runs finished", async () => {
      const r = await states([sweep, kb]);
      return r.every((x) => x.state === "succeeded" || x.state === "failed") && r;
    });
    expect(rows.find((r) => r.id === sweep)).toMatchObject({
      state: "succeeded",
      output: { overdue: 1, notified: true },
    });
    const [note] = await handle.db.select().from(notifications).where(eq(notifications.runId, sweep));
    expect(note?.title).toBe("1 ticket(s) past SLA");
    expect(note?.message).toContain("tkt_1004");
    const kbRow = rows.find((r) => r.id === kb);
    expect(kbRow?.state).toBe("succeeded");
    const articles = (kbRow?.output as { articles: string[] }).articles;
    expect(articles).toEqual(expect.arrayContaining(["articles/billing.md", "articles/index.md"]));
    const billing = (await (await openWorkspace(kb, { db: handle.db })).readFile("articles/billing.md", 1_000_000))
      .content;
    expect(billing).toMatch(/^# Billing questions/);
  }, 60_000);
});
