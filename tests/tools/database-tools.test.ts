import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/db/client";
import { notifications, runState } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit";
import { defineTool, invokeTool, registerTools, ToolLeaseLostError } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob, toolCallRow } from "../helpers/agent-fixtures";

/**
 * A tool's own rows, its tool_calls result and its `tool.called` event commit in one
 * transaction: all three or none, whatever fails in between.
 */
let handle: TestDatabase;
const executions = { count: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const note = z.strictObject({ title: z.string(), pauseMs: z.number().int().min(0).optional() });

let afterWrite: (() => void) | undefined;

/** Writes a notification row (then optionally dawdles, ignoring its signal). */
const jot = defineTool({
  name: "jot",
  description: "Writes a note row",
  input: note,
  sideEffect: "workspace",
  writes: "database",
  dataCategories: [],
  async execute({ title, pauseMs }, ctx) {
    executions.count += 1;
    await ctx.tx
      .insert(notifications)
      .values({ id: `ntf_${ctx.callKey}`, runId: ctx.runId, jobId: ctx.jobId, level: "info", title, message: "m" });
    afterWrite?.();
    // Ignores its signal on purpose: a late finish must still be rolled back.
    if (pauseMs) await sleep(pauseMs);
    return { written: `ntf_${ctx.callKey}` };
  },
});
const jotThenFail = defineTool({
  name: "jot_then_fail",
  description: "Writes a note row, then fails",
  input: note,
  sideEffect: "workspace",
  writes: "database",
  dataCategories: [],
  async execute({ title }, ctx) {
    await ctx.tx
      .insert(notifications)
      .values({ id: `ntf_${ctx.callKey}`, runId: ctx.runId, jobId: ctx.jobId, level: "info", title, message: "m" });
    throw new Error("the disk is on fire");
  },
});
const slowJot = defineTool({ ...jot, name: "slow_jot", timeoutMs: 150 });
/** Updates a state row (blocked when another transaction holds it). */
const touchState = defineTool({
  name: "touch_state",
  description: "Updates a state row",
  input: z.strictObject({ key: z.string() }),
  sideEffect: "workspace",
  writes: "database",
  dataCategories: [],
  timeoutMs: 300,
  async execute({ key }, ctx) {
    await ctx.tx
      .update(runState)
      .set({ value: "touched" })
      .where(and(eq(runState.runId, ctx.runId), eq(runState.key, key)));
    return { key };
  },
});

const job = testJob({
  id: "db-tools",
  agent: {
    model: "default",
    instructions: "t",
    tools: ["jot", "jot_then_fail", "slow_jot", "touch_state"],
    maxTurns: 5,
  },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerTools([jot, jotThenFail, slowJot, touchState]);
  await installJobs(handle.db, [job]);
});
afterAll(async () => {
  await handle.drop();
});

const call = (callIndex: number, toolName: string, input: unknown) => ({
  toolCallId: `c${callIndex}`,
  toolName,
  input,
  turnIndex: 0,
  callIndex,
});
const notesOf = (db: Db, runId: string) => db.select().from(notifications).where(eq(notifications.runId, runId));

describe("database-writing tools", () => {
  it("commit the tool's row, the result and tool.called, and replay instead of writing twice", async () => {
    const runId = await newRun(handle.db, job.id);
    const scope = await scopeFor(handle.db, runId, job);
    const before = executions.count;
    const r = await invokeTool(scope, call(0, "jot", { title: "hello" }));
    expect(r.outcome).toBe("succeeded");
    expect(await notesOf(handle.db, runId)).toEqual([expect.objectContaining({ id: `ntf_${r.key}`, title: "hello" })]);
    expect((await toolCallRow(handle.db, r.key))?.status).toBe("succeeded");
    const [event] = await auditFor(handle.db, runId, "tool.called");
    expect(event?.payload).toMatchObject({
      tool: "jot",
      outcome: "succeeded",
      writes: "database",
      output: { written: `ntf_${r.key}` },
    });

    const again = await invokeTool(scope, call(0, "jot", { title: "hello" }));
    expect(again).toMatchObject({ outcome: "succeeded", replayed: true });
    expect(executions.count - before).toBe(1);
    expect(await notesOf(handle.db, runId)).toHaveLength(1);
  });

  it("roll the tool's writes back when it throws, and record and audit the failure", async () => {
    const runId = await newRun(handle.db, job.id);
    const r = await invokeTool(await scopeFor(handle.db, runId, job), call(0, "jot_then_fail", { title: "half done" }));
    expect(r).toMatchObject({ outcome: "failed", error: "the disk is on fire" });
    expect(await notesOf(handle.db, runId)).toEqual([]);
    expect((await toolCallRow(handle.db, r.key))?.status).toBe("failed");
    expect((await auditFor(handle.db, runId, "tool.called")).map((e) => e.payload.outcome)).toEqual(["failed"]);
  });

  it("leave nothing at all — row, result or event — when the audit append fails after the tool wrote", async () => {
    await handle.db.execute(
      sql.raw(`
      create function test_break_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'tool.called' and new.payload->'input'->>'title' = 'audit breaks' then
          raise exception 'audit append failed (test)';
        end if;
        return new;
      end $$`),
    );
    await handle.db.execute(
      sql.raw(
        "create trigger test_break_audit before insert on audit_events for each row execute function test_break_audit()",
      ),
    );
    try {
      const runId = await newRun(handle.db, job.id);
      const before = executions.count;
      const failure = await invokeTool(
        await scopeFor(handle.db, runId, job),
        call(0, "jot", { title: "audit breaks" }),
      ).then(
        () => null,
        (error: unknown) => error,
      );
      // drizzle wraps the database error (the trigger's exception) as the cause.
      expect((failure as Error | null)?.cause).toMatchObject({
        message: expect.stringMatching(/audit append failed \(test\)/),
      });
      expect(executions.count - before).toBe(1);
      expect(await notesOf(handle.db, runId)).toEqual([]);
      expect(await toolCallRow(handle.db, `${runId}:0:0`)).toBeUndefined();
      expect(await auditFor(handle.db, runId, "tool.called")).toEqual([]);
    } finally {
      await handle.db.execute(sql.raw("drop trigger test_break_audit on audit_events"));
    }
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it("leave nothing when the lease is lost while the tool runs; the re-executed call then runs afresh, once", async () => {
    const runId = await newRun(handle.db, job.id);
    const before = executions.count;
    const stolen = await scopeFor(handle.db, runId, job, { leaseToken: "not-the-lease" });
    await expect(invokeTool(stolen, call(0, "jot", { title: "fenced" }))).rejects.toBeInstanceOf(ToolLeaseLostError);
    expect(executions.count - before).toBe(1);
    expect(await notesOf(handle.db, runId)).toEqual([]);
    expect(await toolCallRow(handle.db, `${runId}:0:0`)).toBeUndefined();

    const retried = await invokeTool(await scopeFor(handle.db, runId, job), call(0, "jot", { title: "fenced" }));
    expect(retried).toMatchObject({ outcome: "succeeded", replayed: false });
    expect(await notesOf(handle.db, runId)).toHaveLength(1);
    expect(await auditFor(handle.db, runId, "tool.called")).toHaveLength(1);
  });

  it("wait for a tool that outlives its timeout, then roll its writes back and report the timeout", async () => {
    const runId = await newRun(handle.db, job.id);
    const r = await invokeTool(
      await scopeFor(handle.db, runId, job),
      call(0, "slow_jot", { title: "late", pauseMs: 400 }),
    );
    expect(r.outcome).toBe("failed");
    expect(r.error).toMatch(/timed out after 150 ms/);
    expect(r.durationMs).toBeGreaterThanOrEqual(390);
    expect(await notesOf(handle.db, runId)).toEqual([]);
    expect((await toolCallRow(handle.db, r.key))?.status).toBe("failed");
  });
});

// Observing from outside the call, lock waits and racing attempts need a second connection (PGlite has one).
describe.runIf(!!process.env.TEST_DATABASE_URL)("database-writing tools on Postgres", () => {
  it("cut a statement blocked on a lock at the tool's timeout", async () => {
    const runId = await newRun(handle.db, job.id);
    await handle.db.insert(runState).values({ runId, key: "busy", value: "initial" });
    let release: () => void = () => {};
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = handle.db.transaction(async (tx) => {
      await tx
        .select()
        .from(runState)
        .where(and(eq(runState.runId, runId), eq(runState.key, "busy")))
        .for("update");
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await isLocked;
    try {
      const started = Date.now();
      const r = await invokeTool(await scopeFor(handle.db, runId, job), call(0, "touch_state", { key: "busy" }));
      expect(r.outcome).toBe("failed");
      expect(r.error).toMatch(/timed out after 300 ms/);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      release();
      await holder;
    }
    const [row] = await handle.db
      .select()
      .from(runState)
      .where(and(eq(runState.runId, runId), eq(runState.key, "busy")));
    expect(row?.value).toBe("initial");
  });

  it("show nothing of a call until it commits, then its row, result and event together", async () => {
    const runId = await newRun(handle.db, job.id);
    const wrote = new Promise<void>((r) => (afterWrite = r));
    const pending = invokeTool(
      await scopeFor(handle.db, runId, job),
      call(0, "jot", { title: "atomic", pauseMs: 300 }),
    );
    await wrote;
    afterWrite = undefined;
    // Another connection, while the tool's row is written but not committed.
    expect(await notesOf(handle.db, runId)).toEqual([]);
    expect(await toolCallRow(handle.db, `${runId}:0:0`)).toBeUndefined();
    expect(await auditFor(handle.db, runId, "tool.called")).toEqual([]);
    expect((await pending).outcome).toBe("succeeded");
    expect(await notesOf(handle.db, runId)).toHaveLength(1);
    expect((await toolCallRow(handle.db, `${runId}:0:0`))?.status).toBe("succeeded");
    expect(await auditFor(handle.db, runId, "tool.called")).toHaveLength(1);
  });

  it("run a call once when two attempts race: the second waits on the first's claim and replays", async () => {
    const runId = await newRun(handle.db, job.id);
    const scope = await scopeFor(handle.db, runId, job);
    const before = executions.count;
    const [a, b] = await Promise.all([
      invokeTool(scope, call(0, "jot", { title: "race", pauseMs: 200 })),
      invokeTool(scope, call(0, "jot", { title: "race", pauseMs: 200 })),
    ]);
    expect(executions.count - before).toBe(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.output).toEqual(b.output);
    expect(await notesOf(handle.db, runId)).toHaveLength(1);
    expect(await auditFor(handle.db, runId, "tool.called")).toHaveLength(1);
  });
});
