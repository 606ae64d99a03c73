import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPurges, runs, runState, toolCalls } from "@/db/schema";
import { purgeExpiredRuns, PURGED_INPUT } from "@/lib/compliance";
import { runLineage } from "@/lib/lineage";
import { invokeTool, registerBuiltinTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, removeTestWorkspaces, scopeFor, testJob } from "../helpers/agent-fixtures";

let handle: TestDatabase;
let base: string;
const job = testJob({ id: "retention-job", agent: { model: "default", instructions: "t", tools: ["state_set"], maxTurns: 3 } });

beforeAll(async () => {
  handle = await createTestDatabase();
  base = await mkdtemp(path.join(tmpdir(), "fd-retention-"));
  registerBuiltinTools();
  await installJobs(handle.db, [job]);
});
afterAll(async () => {
  await handle.drop();
  await removeTestWorkspaces();
  await rm(base, { recursive: true, force: true });
});

describe("retention", () => {
  it("purges a finished run's content after its job's retentionDays, keeps the skeleton and audit, and audits the purge", async () => {
    const expired = await newRun(handle.db, job.id, { secret: "customer data" });
    const fresh = await newRun(handle.db, job.id, { secret: "still needed" });
    const scope = await scopeFor(handle.db, expired, job);
    await invokeTool(scope, { toolCallId: "c0", toolName: "state_set", input: { key: "ticket", value: "x" }, turnIndex: 0, callIndex: 0 });
    await mkdir(path.join(base, expired, "notes"), { recursive: true });
    await writeFile(path.join(base, expired, "notes", "a.md"), "hello");
    const days = job.governance.retentionDays;
    await handle.db.execute(sql`update runs set state = 'succeeded', finished_at = now() - make_interval(days => ${days + 1}) where id = ${expired}`);
    await handle.db.execute(sql`update runs set state = 'succeeded', finished_at = now() - make_interval(days => ${days - 1}) where id = ${fresh}`);

    const result = await purgeExpiredRuns(handle.db, { baseDir: base });
    expect(result).toEqual({ purged: [expired], more: false });

    const [row] = await handle.db.select().from(runs).where(eq(runs.id, expired));
    expect(row?.input).toEqual(PURGED_INPUT);
    expect(row?.state).toBe("succeeded");
    const [call] = await handle.db.select().from(toolCalls).where(eq(toolCalls.runId, expired));
    expect(call).toMatchObject({ tool: "state_set", status: "succeeded", input: null, output: null });
    expect(await handle.db.select().from(runState).where(eq(runState.runId, expired))).toEqual([]);
    await expect(readdir(path.join(base, expired))).rejects.toThrow();
    const [purge] = await handle.db.select().from(runPurges).where(eq(runPurges.runId, expired));
    expect(purge?.removed).toMatchObject({ input: true, toolCalls: 1, stateKeys: 1, workspaceFiles: 2 });
    const [event] = await auditFor(handle.db, expired, "run.purged");
    expect(event?.payload).toMatchObject({ retentionDays: days, removed: { toolCalls: 1 } });
    // The audit trail of what the run did is intact, and the run page says what was purged.
    expect((await auditFor(handle.db, expired, "tool.called")).length).toBe(1);
    const lineage = await runLineage(handle.db, expired);
    expect(lineage.purge).toMatchObject({ retentionDays: days, removed: { input: true } });
    expect(lineage.toolCalls[0]?.touched.stateKeys).toEqual(["ticket"]);

    const [kept] = await handle.db.select().from(runs).where(eq(runs.id, fresh));
    expect(kept?.input).not.toEqual(PURGED_INPUT);
    expect(await handle.db.select().from(runPurges).where(eq(runPurges.runId, fresh))).toEqual([]);
    expect(await purgeExpiredRuns(handle.db, { baseDir: base })).toEqual({ purged: [], more: false });
  });
});
