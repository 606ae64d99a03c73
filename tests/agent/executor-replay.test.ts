import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgentExecutor } from "@/lib/agent";
import { registerSimulatedScript } from "@/lib/models";
import type { TurnContext } from "@/lib/runtime/turn-executor";
import { defineTool, registerTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, testJob } from "../helpers/agent-fixtures";

/** A turn re-executed after a crash (same run, same turn index) must not repeat side effects. */
let handle: TestDatabase;
let sent = 0;
const sendEmail = defineTool({
  name: "send_email",
  description: "Sends an email",
  input: z.strictObject({ to: z.email() }),
  sideEffect: "external",
  dataCategories: ["customer-contact"],
  execute: async ({ to }) => {
    sent += 1;
    return { sentTo: to };
  },
});
const job = testJob({
  id: "replay-job",
  agent: { model: "default", instructions: "Send one email.", tools: ["send_email", "notify"], maxTurns: 3 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerTools([sendEmail]);
  registerSimulatedScript(job.id, (s) =>
    s.step === 0
      ? {
          text: "Sending.",
          toolCalls: [
            { toolName: "send_email", input: { to: "ada@lovelace.example" } },
            { toolName: "notify", input: { title: "sent", message: "email sent" } },
          ],
        }
      : { text: '{"done": true}' },
  );
  await installJobs(handle.db, [job]);
});
afterAll(async () => {
  await handle.drop();
});

describe("turn replay", () => {
  it("returns stored tool results when the same turn runs again", async () => {
    const executor = createAgentExecutor();
    const runId = await newRun(handle.db, job.id);
    const ctx: TurnContext = {
      runId,
      jobId: job.id,
      jobVersion: "v",
      turnIndex: 0,
      attempt: 1,
      input: {},
      history: [],
      modelEndpoint: "default",
      signal: new AbortController().signal,
      leaseToken: "",
      deadline: new Date(Date.now() + 10_000),
    };
    const unfenced = { ...ctx, leaseToken: undefined as unknown as string };
    const first = await executor.execute(unfenced);
    const second = await executor.execute({ ...unfenced, attempt: 2 });
    expect(sent).toBe(1);
    expect(first.model).toBe("simulated/replay-job");
    expect(second.toolCalls).toEqual([
      expect.objectContaining({
        tool: "send_email",
        outcome: "succeeded",
        replayed: true,
        output: { sentTo: "ada@lovelace.example" },
      }),
      expect.objectContaining({ tool: "notify", outcome: "succeeded", replayed: true }),
    ]);
    expect(second.messagesOut).toEqual(first.messagesOut);
    expect(await auditFor(handle.db, runId, "tool.called")).toHaveLength(2);
  });
});
