import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, memoryHistory, runs } from "@/db/schema";
import { playgroundPack, sandboxAgent } from "@/domains/playground";
import { createAgentExecutor } from "@/lib/agent";
import { installPacks } from "@/lib/packs";
import { startWorker, type Worker } from "@/lib/runtime/worker";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { installJobs, newRun, waitFor } from "../helpers/agent-fixtures";

/**
 * The playground's sandbox-agent on the embedded runtime (simulated model): three runs lock
 * the same note, so two wait (state lock:notes/playground, no model slot) and are woken in
 * turn by the notification; each appends its task with the version it read, so none is lost.
 */
describe("playground sandbox-agent", () => {
  let handle: TestDatabase;
  let worker: Worker;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await installJobs(handle.db, installPacks([playgroundPack]));
    worker = await startWorker({
      handle,
      executor: createAgentExecutor(),
      pollIntervalMs: 1000,
      concurrency: 3,
      logger: () => {},
    });
  });
  afterAll(async () => {
    await worker.stop();
    await handle.drop();
  });

  it("declares a manual, governed, limited-risk job with every built-in tool and no HTTP hosts by default", () => {
    expect(sandboxAgent.triggers).toEqual([{ kind: "manual" }]);
    expect(sandboxAgent.governance.riskLevel).toBe("limited");
    expect(sandboxAgent.agent.httpAllowlist).toEqual([]);
    expect(sandboxAgent.agent.tools).toEqual(
      expect.arrayContaining([
        "memory_lock",
        "memory_unlock",
        "memory_write",
        "notify",
        "http_fetch",
        "write_file",
        "state_set",
      ]),
    );
  });

  it("serialises three runs on one note through memory_lock and loses no update", async () => {
    const ids = [
      await newRun(handle.db, sandboxAgent.id, { task: "one" }),
      await newRun(handle.db, sandboxAgent.id, { task: "two" }),
      await newRun(handle.db, sandboxAgent.id, { task: "three" }),
    ];
    const rows = await waitFor(
      "sandbox runs finished",
      async () => {
        const r = await handle.db.select().from(runs).where(inArray(runs.id, ids));
        return r.every((x) => ["succeeded", "failed"].includes(x.state)) && r;
      },
      90_000,
    );
    expect(rows.map((r) => r.state)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const history = await handle.db
      .select()
      .from(memoryHistory)
      .where(eq(memoryHistory.key, "playground"))
      .orderBy(memoryHistory.version);
    expect(history.map((h) => h.version)).toEqual([1, 2, 3]);
    expect(((history[2]?.after as { tasks: string[] }).tasks ?? []).sort()).toEqual(["one", "three", "two"]);
    // At least one run waited for the lock and was woken.
    const waited = await handle.db.select().from(auditEvents).where(inArray(auditEvents.subjectId, ids));
    expect(waited.some((e) => e.action === "run.waiting" && e.payload.reason === "lock:notes/playground")).toBe(true);
    expect(waited.some((e) => e.action === "run.queued" && e.payload.reason === "lock_granted")).toBe(true);
  }, 120_000);
});
