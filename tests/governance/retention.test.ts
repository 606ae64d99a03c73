import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPurges, runs, runState, toolCalls, workspaceFiles } from "@/db/schema";
import { purgeExpiredRuns, PURGED_INPUT } from "@/lib/compliance";
import { runLineage } from "@/lib/lineage";
import { invokeTool, registerBuiltinTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob } from "../helpers/agent-fixtures";

let handle: TestDatabase;
const job = testJob({
  id: "retention-job",
  agent: { model: "default", instructions: "t", tools: ["state_set"], maxTurns: 3 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  await installJobs(handle.db, [job]);
});
afterAll(async () => {
  await handle.drop();
});

describe("retention", () => {
  it("purges a finished run's content after its job's retentionDays, keeps the skeleton and audit, and audits the purge", async () => {
    const expired = await newRun(handle.db, job.id, { secret: "customer data" });
    const fresh = await newRun(handle.db, job.id, { secret: "still needed" });
    const scope = await scopeFor(handle.db, expired, job);
    await invokeTool(scope, {
      toolCallId: "c0",
      toolName: "state_set",
      input: { key: "ticket", value: "x" },
      turnIndex: 0,
      callIndex: 0,
    });
    // Two workspace files (workspaces live in the database), one blob shared with the fresh run.
    await handle.db.execute(
      sql`insert into workspace_blobs (sha256, content, bytes) values ('h1', 'hello'::bytea, 5), ('h2', 'bye'::bytea, 3)`,
    );
    await handle.db.execute(sql`insert into workspace_files (run_id, path, sha256, bytes) values
      (${expired}, 'notes/a.md', 'h1', 5), (${expired}, 'notes/b.md', 'h2', 3), (${fresh}, 'keep.md', 'h1', 5)`);
    const days = job.governance.retentionDays;
    await handle.db.execute(
      sql`update runs set state = 'succeeded', title = 'Refund for Ada', outcome = 'Reply sent', finished_at = now() - make_interval(days => ${days + 1}) where id = ${expired}`,
    );
    await handle.db.execute(
      sql`update runs set state = 'succeeded', finished_at = now() - make_interval(days => ${days - 1}) where id = ${fresh}`,
    );

    const result = await purgeExpiredRuns(handle.db);
    expect(result).toEqual({ purged: [expired], more: false });

    const [row] = await handle.db.select().from(runs).where(eq(runs.id, expired));
    expect(row?.input).toEqual(PURGED_INPUT);
    // The title and outcome are derived from the content: they go with it.
    expect(row).toMatchObject({ title: null, outcome: null });
    expect(row?.state).toBe("succeeded");
    const [call] = await handle.db.select().from(toolCalls).where(eq(toolCalls.runId, expired));
    expect(call).toMatchObject({ tool: "state_set", status: "succeeded", input: null, output: null });
    expect(await handle.db.select().from(runState).where(eq(runState.runId, expired))).toEqual([]);
    expect(await handle.db.select().from(workspaceFiles).where(eq(workspaceFiles.runId, expired))).toEqual([]);
    // The blob only the purged run used is gone; the shared one stays for the fresh run.
    const blobs = await handle.db.execute(sql`select sha256 from workspace_blobs order by sha256`);
    expect(JSON.stringify(blobs)).toContain("h1");
    expect(JSON.stringify(blobs)).not.toContain("h2");
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
    expect(await purgeExpiredRuns(handle.db)).toEqual({ purged: [], more: false });
  });
});
