import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgentExecutor } from "@/lib/agent";
import { AppError } from "@/lib/errors";
import { registerSimulatedScript } from "@/lib/models";
import { decideApproval } from "@/lib/runtime/approvals";
import { cancelRun, retryRun } from "@/lib/runtime/controls";
import { silentLogger } from "@/lib/runtime/log";
import type { TurnExecutor } from "@/lib/runtime/turn-executor";
import { startWorker } from "@/lib/runtime/worker";
import { defineTool, registerTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { installJobs, newRun as newAgentRun, testJob } from "../helpers/agent-fixtures";
import { getRun, lead, operator, waitForState } from "./helpers";

/** Two races a review found: an approval decided mid-turn stranded the run; a run could be retried twice. */
let handle: TestDatabase;
let shipped = 0;
const ship = defineTool({
  name: "race_ship",
  description: "Ships an order (external)",
  input: z.strictObject({ order: z.string() }),
  sideEffect: "external",
  dataCategories: [],
  execute: async ({ order }) => {
    shipped += 1;
    return { shipped: order };
  },
});
const gated = testJob({
  id: "race-gated",
  agent: { model: "default", instructions: "Ship.", tools: ["race_ship"], maxTurns: 4 },
});
gated.governance.humanOversight = "approve-tools";

beforeAll(async () => {
  handle = await createTestDatabase();
  registerTools([ship]);
  registerSimulatedScript(gated.id, (s) =>
    s.step === 0
      ? { text: "Shipping.", toolCalls: [{ toolName: "race_ship", input: { order: "o-1" } }] }
      : { text: '{"done":true}' },
  );
  await installJobs(handle.db, [gated]);
});
afterAll(async () => {
  await handle.drop();
});

describe("approval decided while the turn that asked for it is still running", () => {
  it("the run is not parked on the decided approval: it goes on and the call runs once", async () => {
    const agent = createAgentExecutor();
    // The lead approves in the window between the approval row's commit and the checkpoint.
    const racing: TurnExecutor = {
      async execute(context) {
        const result = await agent.execute(context);
        if (result.outcome.kind === "wait" && result.outcome.reason === "approval") {
          await decideApproval(handle.db, result.outcome.waitingFor, "approved", lead);
        }
        return result;
      },
      onCheckpoint: (tx, context, result) => agent.onCheckpoint?.(tx, context, result) ?? Promise.resolve(),
    };
    const worker = await startWorker({
      handle,
      executor: racing,
      workerId: "race",
      pollIntervalMs: 100,
      leaseMs: 5_000,
      logger: silentLogger,
    });
    try {
      const runId = await newAgentRun(handle.db, gated.id);
      const run = await waitForState(handle.db, runId, ["succeeded", "failed"], 15_000);
      expect(run.state).toBe("succeeded");
      expect(shipped).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});

describe("retry", () => {
  it("a run is retried once: a second retry answers 409 naming the first retry, also when both race", async () => {
    const a = await newAgentRun(handle.db, gated.id);
    await cancelRun(handle.db, a, operator);
    const first = await retryRun(handle.db, a, operator);
    const again = await retryRun(handle.db, a, operator).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).code).toBe("conflict");
    expect((again as AppError).details).toMatchObject({ retriedAs: first.id });

    const b = await newAgentRun(handle.db, gated.id);
    await cancelRun(handle.db, b, operator);
    const both = await Promise.allSettled([retryRun(handle.db, b, operator), retryRun(handle.db, b, operator)]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = both.find((r) => r.status === "rejected");
    expect(
      refused?.status === "rejected" && refused.reason instanceof AppError && refused.reason.code === "conflict",
    ).toBe(true);
    expect((await getRun(handle.db, b)).state).toBe("cancelled");
  });
});
