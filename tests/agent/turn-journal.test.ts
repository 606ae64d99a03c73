import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { toolCalls, turnJournal } from "@/db/schema";
import { createAgentExecutor } from "@/lib/agent";
import { registerSimulatedScript } from "@/lib/models";
import type { TurnContext } from "@/lib/runtime/turn-executor";
import { defineTool, invokeTool, registerBuiltinTools, registerTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob } from "../helpers/agent-fixtures";

/**
 * A real model answers differently when asked again. The journal keeps the first answer, so a
 * turn re-executed after a crash runs the same calls; a key holding another call is refused.
 */
let handle: TestDatabase;
let modelCalls = 0;
const effects: string[] = [];
const send = defineTool({
  name: "journal_send",
  description: "Sends a message (external)",
  input: z.strictObject({ body: z.string() }),
  sideEffect: "external",
  dataCategories: [],
  execute: async ({ body }) => {
    effects.push(body);
    return { sent: body };
  },
});
const job = testJob({
  id: "journal-job",
  agent: { model: "default", instructions: "Send.", tools: ["journal_send", "http_fetch"], maxTurns: 3 },
});

// A final answer (no tool calls), counted: it has no effect to repeat, so it is not journaled.
let finalCalls = 0;
const finalJob = testJob({
  id: "journal-final-job",
  agent: { model: "default", instructions: "Answer.", tools: [], maxTurns: 1 },
});

let sink: Server;
const seenKeys: (string | undefined)[] = [];

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  registerTools([send]);
  // Every model call answers with a different body: as a sampled model would.
  registerSimulatedScript(job.id, (s) => {
    if (s.step > 0) return { text: '{"done":true}' };
    modelCalls += 1;
    return { text: "Sending.", toolCalls: [{ toolName: "journal_send", input: { body: `answer #${modelCalls}` } }] };
  });
  registerSimulatedScript(finalJob.id, () => {
    finalCalls += 1;
    return { text: `{"answer":${finalCalls}}` };
  });
  await installJobs(handle.db, [job, finalJob]);
  sink = createServer((req, res) => {
    seenKeys.push(req.headers["idempotency-key"] as string | undefined);
    res.end("ok");
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  await new Promise((r) => sink.close(r));
  await handle.drop();
});

function context(runId: string, attempt: number): TurnContext {
  return {
    runId,
    jobId: job.id,
    jobVersion: "v",
    turnIndex: 0,
    attempt,
    input: {},
    history: [],
    modelEndpoint: "default",
    signal: new AbortController().signal,
    // No lease in this test (no worker claimed the run): unfenced.
    leaseToken: undefined as unknown as string,
    deadline: new Date(Date.now() + 10_000),
  };
}

describe("turn journal", () => {
  it("a re-executed turn continues from the journaled answer: same calls, replayed, the model asked once", async () => {
    const executor = createAgentExecutor();
    const runId = await newRun(handle.db, job.id);
    const first = await executor.execute(context(runId, 1));
    const second = await executor.execute(context(runId, 2));
    expect(modelCalls).toBe(1);
    expect(effects).toEqual(["answer #1"]);
    expect(second.toolCalls).toEqual([
      expect.objectContaining({
        tool: "journal_send",
        replayed: true,
        outcome: "succeeded",
        output: { sent: "answer #1" },
      }),
    ]);
    expect(second.messagesOut).toEqual(first.messagesOut);
  });

  it("a stored result is not replayed under another call: the mismatch is refused and audited", async () => {
    const runId = await newRun(handle.db, job.id);
    const scope = await scopeFor(handle.db, runId, job);
    const firstCall = await invokeTool(scope, {
      toolCallId: "a",
      toolName: "journal_send",
      input: { body: "one" },
      turnIndex: 0,
      callIndex: 0,
    });
    expect(firstCall.outcome).toBe("succeeded");
    const other = await invokeTool(scope, {
      toolCallId: "b",
      toolName: "journal_send",
      input: { body: "two" },
      turnIndex: 0,
      callIndex: 0,
    });
    expect(other.outcome).toBe("refused");
    expect(other.replayed).toBe(false);
    expect(other.error).toMatch(/different input/);
    const otherTool = await invokeTool(scope, {
      toolCallId: "c",
      toolName: "http_fetch",
      input: { url: "http://127.0.0.1/" },
      turnIndex: 0,
      callIndex: 0,
    });
    expect(otherTool.error).toMatch(/holds a call of "journal_send"/);
    expect(effects.filter((e) => e === "two")).toHaveLength(0);
    const audit = await auditFor(handle.db, runId, "tool.identity_mismatch");
    expect(audit).toHaveLength(2);
    expect(audit[0]?.payload).toMatchObject({ callKey: `${runId}:0:0`, storedTool: "journal_send" });
    // Same identity (key order does not matter): replayed.
    const same = await invokeTool(scope, {
      toolCallId: "d",
      toolName: "journal_send",
      input: { body: "one" },
      turnIndex: 0,
      callIndex: 0,
    });
    expect(same).toMatchObject({ replayed: true, outcome: "succeeded" });
    const rows = await handle.db.select().from(toolCalls);
    expect(rows.find((r) => r.key === `${runId}:0:0`)?.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("http_fetch sends the call's idempotency key as Idempotency-Key", async () => {
    const port = (sink.address() as AddressInfo).port;
    const fetchJob = testJob({
      id: "journal-fetch",
      agent: {
        model: "default",
        instructions: "t",
        tools: ["http_fetch"],
        maxTurns: 2,
        httpAllowlist: [`127.0.0.1:${port}`],
      },
    });
    await installJobs(handle.db, [job, fetchJob]);
    const runId = await newRun(handle.db, fetchJob.id);
    const scope = await scopeFor(handle.db, runId, fetchJob);
    const record = await invokeTool(scope, {
      toolCallId: "f",
      toolName: "http_fetch",
      input: { url: `http://127.0.0.1:${port}/effect` },
      turnIndex: 2,
      callIndex: 1,
    });
    expect(record.outcome).toBe("succeeded");
    expect(seenKeys).toEqual([`${runId}:2:1`]);
  });

  it("the checkpoint deletes a journaled answer; a final answer is not journaled and a re-executed turn asks again", async () => {
    const journalOf = async (runId: string) => handle.db.select().from(turnJournal).where(eq(turnJournal.runId, runId));
    await installJobs(handle.db, [job, finalJob]);
    const executor = createAgentExecutor();
    const toolRun = await newRun(handle.db, job.id);
    const toolTurn = await executor.execute(context(toolRun, 1));
    expect(await journalOf(toolRun)).toHaveLength(1);
    await handle.db.transaction(
      (tx) => executor.onCheckpoint?.(tx, context(toolRun, 1), toolTurn) ?? Promise.resolve(),
    );
    expect(await journalOf(toolRun)).toHaveLength(0);

    const finalRun = await newRun(handle.db, finalJob.id);
    const before = finalCalls;
    const first = await executor.execute({ ...context(finalRun, 1), jobId: finalJob.id });
    expect(first.outcome).toMatchObject({ kind: "complete", output: { answer: before + 1 } });
    expect(await journalOf(finalRun)).toHaveLength(0);
    const again = await executor.execute({ ...context(finalRun, 2), jobId: finalJob.id });
    expect(again.outcome).toMatchObject({ kind: "complete", output: { answer: before + 2 } });
    expect(finalCalls).toBe(before + 2);
  });
});
