import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentExecutor } from "@/lib/agent";
import { jobVersion, registerJobDefinitions } from "@/lib/jobs";
import { registerSimulatedScript } from "@/lib/models";
import { silentLogger } from "@/lib/runtime/log";
import { startWorker } from "@/lib/runtime/worker";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { installJobs, newRun, testJob } from "../helpers/agent-fixtures";
import { eventually, getRun, waitForState } from "./helpers";

/** A run executes with its own job version: a worker whose build has another version leaves it alone and says why. */
let handle: TestDatabase;
const v1 = testJob({ id: "pinned", agent: { model: "default", instructions: "Version one.", tools: [], maxTurns: 2 } });
const v2 = testJob({
  id: "pinned",
  agent: { model: "default", instructions: "Version two: do something else.", tools: [], maxTurns: 2 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerSimulatedScript("pinned", () => ({ text: '{"done":true}' }));
  await installJobs(handle.db, [v1]);
});
afterAll(async () => {
  await handle.drop();
});

describe("runs pinned to their job version", () => {
  it("a worker with another version of the job leaves the run, which shows why it waits; a worker with the version runs it", async () => {
    expect(jobVersion(v1)).not.toBe(jobVersion(v2));
    const runId = await newRun(handle.db, v1.id);
    expect((await getRun(handle.db, runId)).jobVersion).toBe(jobVersion(v1));

    // A deploy: this process now has version two only.
    registerJobDefinitions([v2]);
    const lines: Record<string, unknown>[] = [];
    const worker = await startWorker({
      handle,
      executor: createAgentExecutor(),
      workerId: "new-build",
      pollIntervalMs: 100,
      leaseMs: 5_000,
      logger: (level, message, fields) => {
        if (level === "warn") lines.push({ message, ...fields });
        silentLogger(level, message, fields);
      },
    });
    try {
      const waiting = await eventually(
        () => getRun(handle.db, runId),
        (r) => r.stateReason?.startsWith("version:") === true,
        10_000,
      );
      expect(waiting.state).toBe("queued");
      expect(waiting.stateReason).toContain(`version:${jobVersion(v1)}`);
      expect(waiting.stateReason).toContain(`pinned@${jobVersion(v2)}`);
      expect(lines.some((l) => l.runId === runId && /cannot run/.test(String(l.message)))).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect((await getRun(handle.db, runId)).turnsUsed).toBe(0);

      // A worker of the old build (here: the same process, registry back to version one) takes it.
      registerJobDefinitions([v1]);
      const done = await waitForState(handle.db, runId, ["succeeded", "failed"], 10_000);
      expect(done).toMatchObject({ state: "succeeded", turnsUsed: 1 });
    } finally {
      await worker.stop();
    }
  });
});
