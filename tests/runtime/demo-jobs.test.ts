import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { approvals } from "@/db/schema";
import { packs } from "@/server/packs";
import { installPacks } from "@/lib/packs";
import { startSupportDemo } from "@/domains/support/seed";
import { registerAgentExecutor } from "@/lib/agent";
import { loadJobRegistry } from "@/lib/jobs";
import { decideApproval } from "@/lib/runtime/approvals";
import { silentLogger } from "@/lib/runtime/log";
import { startEmbeddedRuntime, type EmbeddedRuntime } from "@/lib/runtime/start";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { eventually, lead } from "./helpers";

/**
 * The domain packs' demo jobs, declared with defineJob and run by this core with the real
 * agent executor (simulated model): every run ends succeeded once a lead approves what
 * the jobs ask to have approved.
 */
describe("demo jobs on the runtime core", () => {
  let handle: TestDatabase;
  let runtime: EmbeddedRuntime;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await loadJobRegistry(handle.db, installPacks(packs));
    registerAgentExecutor();
    runtime = await startEmbeddedRuntime(handle, { cron: false, logger: silentLogger });
  });
  afterAll(async () => {
    await runtime.stop();
    await handle.drop();
  });

  const states = async () =>
    rowsOf<{ state: string; n: number }>(
      await handle.db.execute(sql`select state, count(*)::int as n from runs group by state order by state`),
    );
  const settled = (rows: { state: string }[]) => rows.every((r) => r.state !== "queued" && r.state !== "running");

  it("runs the support demo to success, approvals included", async () => {
    const demo = await startSupportDemo(handle.db);
    expect(demo.runIds.length).toBeGreaterThan(0);
    for (let round = 0; round < 40; round++) {
      await eventually(states, settled, 60_000);
      const pending = await handle.db
        .select({ id: approvals.id })
        .from(approvals)
        .where(eq(approvals.status, "pending"));
      if (pending.length === 0) {
        // A run still waiting without an approval waits for a lock another run holds: it asks once it gets it.
        if ((await states()).every((r) => r.state === "succeeded")) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      for (const a of pending) await decideApproval(handle.db, a.id, "approved", lead);
    }
    expect(await states()).toEqual([{ state: "succeeded", n: demo.runIds.length }]);
    // Each run reads as its ticket, and says the customer got the (approved) reply.
    const labelled = rowsOf<{ job_id: string; title: string | null; outcome: string | null; subject: string | null }>(
      await handle.db.execute(
        sql`select job_id, title, outcome, input->>'subject' as subject from runs where job_id = 'triage-ticket'`,
      ),
    );
    expect(labelled.length).toBeGreaterThan(0);
    for (const run of labelled) {
      expect(run.title).toBe(run.subject);
      expect(run.outcome).toBe("Reply sent");
    }
  });
});
