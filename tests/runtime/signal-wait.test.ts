import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signalWaits, toolCalls } from "@/db/schema";
import { createAgentExecutor } from "@/lib/agent";
import { registerSimulatedScript } from "@/lib/models";
import { silentLogger } from "@/lib/runtime/log";
import { deliverSignal } from "@/lib/runtime/triggers/signals";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import { invokeTool, registerBuiltinTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob } from "../helpers/agent-fixtures";
import { eventually, getRun, operator, waitForState } from "./helpers";

/** wait_for_signal parks a run until a matching POST /api/signals/{name} or its timeout wakes it. */
let handle: TestDatabase;
let worker: Worker;
const shipper = testJob({
  id: "sig-shipper",
  triggers: [{ kind: "signal", name: "order.shipped", payload: z.object({ orderId: z.string() }).loose() }],
});
const waiter = testJob({
  id: "sig-waiter",
  agent: { model: "default", instructions: "Wait.", tools: ["wait_for_signal"], maxTurns: 4 },
});
const impatient = testJob({
  id: "sig-impatient",
  agent: { model: "default", instructions: "Wait briefly.", tools: ["wait_for_signal"], maxTurns: 4 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  registerSimulatedScript(shipper.id, () => ({ text: '{"ok":true}' }));
  registerSimulatedScript(waiter.id, (s) =>
    s.step === 0
      ? {
          text: "Waiting.",
          toolCalls: [
            {
              toolName: "wait_for_signal",
              input: { name: "order.shipped", match: { orderId: "o-1" }, timeoutSeconds: 600 },
            },
          ],
        }
      : { text: '{"done":true}' },
  );
  registerSimulatedScript(impatient.id, (s) =>
    s.step === 0
      ? {
          text: "Waiting.",
          toolCalls: [{ toolName: "wait_for_signal", input: { name: "order.shipped", timeoutSeconds: 1 } }],
        }
      : { text: '{"done":true}' },
  );
  await installJobs(handle.db, [shipper, waiter, impatient]);
  worker = await startWorker({
    handle,
    executor: createAgentExecutor(),
    workerId: "sig",
    pollIntervalMs: 100,
    leaseMs: 5_000,
    logger: silentLogger,
  });
});
afterAll(async () => {
  await worker.stop();
  await handle.drop();
});

async function callRow(runId: string) {
  const [row] = await handle.db
    .select()
    .from(toolCalls)
    .where(and(eq(toolCalls.runId, runId), eq(toolCalls.tool, "wait_for_signal")));
  return row;
}

describe("wait_for_signal", () => {
  it("parks the run (waiting, signal:<name>, no lease); a matching signal wakes it with the payload as the result", async () => {
    const runId = await newRun(handle.db, waiter.id);
    const parked = await eventually(
      () => getRun(handle.db, runId),
      (r) => r.state === "waiting",
      10_000,
    );
    expect(parked).toMatchObject({
      stateReason: "signal:order.shipped",
      waitingFor: "order.shipped",
      leaseToken: null,
    });

    const other = await deliverSignal(handle.db, {
      name: "order.shipped",
      payload: { orderId: "o-2" },
      actor: operator,
    });
    expect(other.woken).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await getRun(handle.db, runId)).state).toBe("waiting");

    const delivery = await deliverSignal(handle.db, {
      name: "order.shipped",
      payload: { orderId: "o-1", carrier: "DHL" },
      actor: operator,
    });
    expect(delivery.woken).toEqual([runId]);
    expect(delivery.runs).toHaveLength(1); // the subscribed job still gets its run
    const done = await waitForState(handle.db, runId, ["succeeded", "failed"], 10_000);
    expect(done.state).toBe("succeeded");
    expect(await callRow(runId)).toMatchObject({
      status: "succeeded",
      output: { signal: "order.shipped", payload: { orderId: "o-1", carrier: "DHL" } },
    });
    expect(await auditFor(handle.db, runId, "signal.wait")).toHaveLength(1);
    expect(await auditFor(handle.db, runId, "signal.woken")).toHaveLength(1);
  });

  it("a timeout wakes the run with a timeout result", async () => {
    const runId = await newRun(handle.db, impatient.id);
    const done = await waitForState(handle.db, runId, ["succeeded", "failed"], 15_000);
    expect(done.state).toBe("succeeded");
    expect(await callRow(runId)).toMatchObject({
      status: "succeeded",
      output: { signal: "order.shipped", timedOut: true },
    });
    expect(await auditFor(handle.db, runId, "signal.wait_timed_out")).toHaveLength(1);
    const [wait] = await handle.db.select().from(signalWaits).where(eq(signalWaits.runId, runId));
    expect(wait?.status).toBe("timed_out");
  });

  it("an unknown signal name or a timeout outside 1..86400 is an error result to the model, audited", async () => {
    const runId = await newRun(handle.db, waiter.id);
    const scope = await scopeFor(handle.db, runId, waiter);
    const unknown = await invokeTool(scope, {
      toolCallId: "u",
      toolName: "wait_for_signal",
      input: { name: "no.such.signal", timeoutSeconds: 10 },
      turnIndex: 9,
      callIndex: 0,
    });
    expect(unknown).toMatchObject({
      outcome: "refused",
      error: expect.stringMatching(/unknown signal "no.such.signal"/),
    });
    const tooLong = await invokeTool(scope, {
      toolCallId: "t",
      toolName: "wait_for_signal",
      input: { name: "order.shipped", timeoutSeconds: 86_401 },
      turnIndex: 9,
      callIndex: 1,
    });
    expect(tooLong).toMatchObject({ outcome: "refused", error: expect.stringMatching(/timeoutSeconds/) });
    expect(await auditFor(handle.db, runId, "signal.wait_refused")).toHaveLength(1);
    expect(await auditFor(handle.db, runId, "tool.invalid_input")).toHaveLength(1);
  });
});
