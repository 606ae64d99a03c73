import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { approvals, flashcards, toolCalls, workspaceBlobs } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { defineTool, invokeTool, registerBuiltinTools, registerTools, ToolLeaseLostError } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob, toolCallRow } from "../helpers/agent-fixtures";

/** The wrapper's contract, call by call, against a real database. */
let handle: TestDatabase;
const executions = { charge: 0 };
const SECRET = "flightdeck-test-secret-value-42";

const echo = defineTool({
  name: "echo",
  description: "Echo",
  input: z.strictObject({ text: z.string() }),
  sideEffect: "none",
  dataCategories: [],
  execute: async ({ text }) => ({ text }),
});
const slow = defineTool({
  name: "slow",
  description: "Slow",
  input: z.object({}),
  sideEffect: "none",
  dataCategories: [],
  timeoutMs: 100,
  execute: () => new Promise((r) => setTimeout(() => r("late"), 5_000)),
});
const big = defineTool({
  name: "big",
  description: "Big output",
  input: z.object({}),
  sideEffect: "none",
  dataCategories: [],
  execute: async () => ({ blob: "x".repeat(10_000) }),
});
const explode = defineTool({
  name: "explode",
  description: "Throws",
  input: z.object({}),
  sideEffect: "none",
  dataCategories: [],
  execute: async () => {
    throw new Error(`database password is ${SECRET}`);
  },
});
const charge = defineTool({
  name: "charge_card",
  description: "Charges a card (external)",
  input: z.strictObject({ amount: z.number().int().positive() }),
  sideEffect: "external",
  dataCategories: ["payment"],
  execute: async ({ amount }) => {
    executions.charge += 1;
    return { charged: amount };
  },
});

const tools = ["echo", "slow", "big", "explode", "charge_card", "write_file"];
const open = testJob({ id: "wrapper-open", agent: { model: "default", instructions: "t", tools, maxTurns: 5 } });
const gated = testJob({
  id: "wrapper-gated",
  agent: { model: "default", instructions: "t", tools, maxTurns: 5 },
  governance: { ...open.governance, humanOversight: "approve-tools" },
});

beforeAll(async () => {
  process.env.FLIGHTDECK_MODEL_API_KEY = SECRET;
  resetEnvCache();
  handle = await createTestDatabase();
  registerBuiltinTools();
  registerTools([echo, slow, big, explode, charge]);
  await installJobs(handle.db, [open, gated]);
});
afterAll(async () => {
  delete process.env.FLIGHTDECK_MODEL_API_KEY;
  resetEnvCache();
  await handle.drop();
});

const call = (callIndex: number, toolName: string, input: unknown, extra: Record<string, unknown> = {}) => ({
  toolCallId: `c${callIndex}`,
  toolName,
  input,
  turnIndex: 0,
  callIndex,
  ...extra,
});

describe("invokeTool", () => {
  it("refuses a tool outside the job's allowlist, audits a policy violation, and tells the model", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open);
    const r = await invokeTool(scope, call(0, "delete_file", { path: "x" }));
    expect(r.outcome).toBe("refused");
    expect(r.error).toMatch(/not available to this job.*allowlist.*available tools: echo/);
    const unknown = await invokeTool(scope, call(1, "format_disk", {}));
    expect(unknown.error).toMatch(/no such tool/);
    const violations = await auditFor(handle.db, runId, "tool.policy_violation");
    expect(violations.map((v) => v.payload.tool)).toEqual(["delete_file", "format_disk"]);
    expect((await toolCallRow(handle.db, r.key))?.status).toBe("refused");
  });

  it("returns zod issues (and unparseable arguments) to the model, audited as invalid input", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open);
    const bad = await invokeTool(scope, call(0, "echo", { text: 42, extra: true }));
    expect(bad.outcome).toBe("refused");
    expect(bad.error).toMatch(/invalid arguments for "echo": text: .*expected string/i);
    const broken = await invokeTool(scope, call(1, "echo", '{"text": "hi', { parseError: "JSON parse error" }));
    expect(broken.error).toMatch(/could not be parsed/);
    const events = await auditFor(handle.db, runId, "tool.invalid_input");
    expect(events).toHaveLength(2);
    expect(events[0]?.payload.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: "text" })]));
  });

  it("executes, records duration and outcome, and redacts secrets from input, output, row and audit", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open);
    const r = await invokeTool(scope, call(0, "echo", { text: `token ${SECRET} and Bearer abcdefghijklmnop` }));
    expect(r.outcome).toBe("succeeded");
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(JSON.stringify(r.output)).toContain("[REDACTED]");
    const row = await toolCallRow(handle.db, r.key);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row?.status).toBe("succeeded");
    const [event] = await auditFor(handle.db, runId, "tool.called");
    expect(event?.payload).toMatchObject({ tool: "echo", outcome: "succeeded", model: "simulated/test" });
    expect(typeof event?.payload.durationMs).toBe("number");
    expect(JSON.stringify(event)).not.toContain(SECRET);
  });

  it("takes secrets out of a file's content before the workspace stores it, and says so", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open);
    const r = await invokeTool(
      scope,
      call(0, "write_file", { path: "loot.txt", content: `the key is ${SECRET}, keep it` }),
    );
    expect(r.outcome).toBe("succeeded");
    expect(r.output).toMatchObject({ path: "loot.txt", redacted: expect.stringContaining("replaced") });
    const blobs = await handle.db.select({ content: workspaceBlobs.content }).from(workspaceBlobs);
    const stored = blobs.map((b) => Buffer.from(b.content).toString("utf8"));
    expect(stored.some((text) => text.includes("the key is [REDACTED], keep it"))).toBe(true);
    expect(stored.some((text) => text.includes(SECRET))).toBe(false);
  });

  it("redacts a failing tool's error message", async () => {
    const runId = await newRun(handle.db, open.id);
    const r = await invokeTool(await scopeFor(handle.db, runId, open), call(0, "explode", {}));
    expect(r.outcome).toBe("failed");
    expect(r.error).toContain("[REDACTED]");
    expect(r.error).not.toContain(SECRET);
  });

  it("times out a slow tool and caps a large output with a marker", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open, { maxOutputBytes: 1_000 });
    const started = Date.now();
    const timedOut = await invokeTool(scope, call(0, "slow", {}));
    expect(timedOut.outcome).toBe("failed");
    expect(timedOut.error).toMatch(/timed out after 100 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
    const capped = await invokeTool(scope, call(1, "big", {}));
    expect(capped.outcome).toBe("succeeded");
    expect(capped.truncated).toBe(true);
    expect(String(capped.output)).toMatch(/…\[output truncated: 1000 of \d+ bytes shown\]$/);
    const row = await toolCallRow(handle.db, capped.key);
    expect(String(row?.output).length).toBeLessThan(1_200);
  });

  it("replays the stored result for a re-executed call instead of repeating its side effect", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open);
    const before = executions.charge;
    const first = await invokeTool(scope, call(0, "charge_card", { amount: 5 }));
    const again = await invokeTool(scope, call(0, "charge_card", { amount: 5 }));
    expect(first.outcome).toBe("succeeded");
    expect(again).toMatchObject({ outcome: "succeeded", output: { charged: 5 }, replayed: true });
    expect(executions.charge - before).toBe(1);
    expect(await auditFor(handle.db, runId, "tool.called")).toHaveLength(1);
  });

  it("does not repeat an external call whose earlier attempt died mid-flight", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open);
    await handle.db.insert(toolCalls).values({
      key: `${runId}:0:0`,
      runId,
      turnIndex: 0,
      callIndex: 0,
      toolCallId: "c0",
      tool: "charge_card",
      status: "started",
      input: { amount: 9 },
    });
    const before = executions.charge;
    const r = await invokeTool(scope, call(0, "charge_card", { amount: 9 }));
    expect(r.outcome).toBe("failed");
    expect(r.error).toMatch(/interrupted; its outcome is unknown, so it was not repeated/);
    expect(executions.charge).toBe(before);
  });

  it("parks an external call for approval, then runs it once approved; a rejection is a refusal", async () => {
    const runId = await newRun(handle.db, gated.id);
    const scope = await scopeFor(handle.db, runId, gated);
    const before = executions.charge;
    const parked = await invokeTool(scope, call(0, "charge_card", { amount: 7 }));
    expect(parked.outcome).toBe("awaiting_approval");
    expect(parked.approvalId).toBeTruthy();
    const again = await invokeTool(scope, call(0, "charge_card", { amount: 7 }));
    expect(again).toMatchObject({ outcome: "awaiting_approval", approvalId: parked.approvalId });
    const pending = await handle.db.select().from(approvals).where(eq(approvals.runId, runId));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: "tool", status: "pending", subject: `charge_card:${runId}:0:0` });
    expect(await auditFor(handle.db, parked.approvalId ?? "", "approval.requested")).toHaveLength(1);
    expect(executions.charge).toBe(before);

    await handle.db
      .update(approvals)
      .set({ status: "approved", decidedByLabel: "lead@acme.example" })
      .where(eq(approvals.id, parked.approvalId ?? ""));
    const ran = await invokeTool(scope, call(0, "charge_card", { amount: 7 }));
    expect(ran).toMatchObject({ outcome: "succeeded", output: { charged: 7 }, approvalId: parked.approvalId });
    expect(executions.charge - before).toBe(1);

    const second = await invokeTool(scope, call(1, "charge_card", { amount: 8 }));
    await handle.db
      .update(approvals)
      .set({ status: "rejected", decidedByLabel: "lead@acme.example", note: "too expensive" })
      .where(eq(approvals.id, second.approvalId ?? ""));
    const refused = await invokeTool(scope, call(1, "charge_card", { amount: 8 }));
    expect(refused.outcome).toBe("refused");
    expect(refused.error).toMatch(/rejected by lead@acme.example: too expensive/);
    expect(executions.charge - before).toBe(1);
  });

  it("does not gate workspace-only tools in an approve-tools job", async () => {
    const runId = await newRun(handle.db, gated.id);
    const r = await invokeTool(
      await scopeFor(handle.db, runId, gated),
      call(0, "write_file", { path: "a.txt", content: "hi" }),
    );
    expect(r.outcome).toBe("succeeded");
  });

  it("writes nothing when the turn's lease is gone, and records the attempt with a flashcard", async () => {
    const runId = await newRun(handle.db, open.id);
    const scope = await scopeFor(handle.db, runId, open, { leaseToken: "not-the-lease" });
    await expect(invokeTool(scope, call(0, "echo", { text: `x ${SECRET}` }))).rejects.toBeInstanceOf(
      ToolLeaseLostError,
    );
    expect(await toolCallRow(handle.db, `${runId}:0:0`)).toBeUndefined();
    expect(await auditFor(handle.db, runId, "tool.called")).toHaveLength(0);
    const [attempt] = await auditFor(handle.db, runId, "tool.lease_lost");
    expect(attempt?.payload).toMatchObject({ tool: "echo", callKey: `${runId}:0:0` });
    expect(JSON.stringify(attempt)).not.toContain(SECRET);
    const [card] = await handle.db
      .select()
      .from(flashcards)
      .where(eq(flashcards.fingerprint, `policy:${open.id}:echo:tool.lease_lost`));
    expect(card).toMatchObject({ kind: "policy", runId });
  });
});
