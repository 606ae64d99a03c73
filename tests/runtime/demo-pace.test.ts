import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { supportTickets } from "@/domains/support/schema";
import { seedSupportDemo } from "@/domains/support/seed";
import { fileDemoTicket, startDemoTrickle } from "@/domains/support/demo-trickle";
import { installPacks } from "@/lib/packs";
import { loadJobRegistry } from "@/lib/jobs";
import { SimulatedLanguageModel, SimulatedProviderError, setSimulatedPace, simulatedPace } from "@/lib/models";
import { packs } from "@/server/packs";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { eventually } from "./helpers";

/** The embedded demo's pacing: slow, sometimes failing model calls and a steady stream of tickets — and nothing else paced. */
describe("demo pacing", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await loadJobRegistry(handle.db, installPacks(packs));
    await seedSupportDemo(handle.db);
  });
  afterAll(async () => {
    await handle.drop();
  });
  afterEach(() => setSimulatedPace(null));

  const model = new SimulatedLanguageModel("pace-test", () => ({ text: "done" }));
  const call = (signal?: AbortSignal) =>
    model.doGenerate({ prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }], abortSignal: signal });

  it("answers at once when nothing turned the pace on (tests, Postgres, no demo data)", async () => {
    expect(simulatedPace()).toBeNull();
    const started = performance.now();
    await call();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("takes the paced time per call, fails at the configured rate, and stops waiting when the turn is aborted", async () => {
    setSimulatedPace({ minMs: 200, maxMs: 200, failureRate: 0, random: () => 0.5 });
    const started = performance.now();
    await call();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);

    setSimulatedPace({ minMs: 0, maxMs: 0, failureRate: 1, random: () => 0.5 });
    await expect(call()).rejects.toBeInstanceOf(SimulatedProviderError);

    setSimulatedPace({ minMs: 60_000, maxMs: 60_000, failureRate: 0 });
    const abort = new AbortController();
    const pending = call(abort.signal);
    abort.abort(new Error("turn aborted"));
    await expect(pending).rejects.toThrow("turn aborted");
  });

  const triageRuns = async () =>
    Number(
      rowsOf<{ n: number }>(
        await handle.db.execute(sql`select count(*)::int as n from runs where job_id = 'triage-ticket'`),
      )[0]?.n ?? 0,
    );

  it("files a ticket in the support store and starts its triage run, titled by its subject", async () => {
    const before = await triageRuns();
    const id = await fileDemoTicket(handle.db, () => 0);
    const [ticket] = await handle.db.select().from(supportTickets).where(eq(supportTickets.id, id));
    expect(ticket?.status).toBe("open");
    expect(await triageRuns()).toBe(before + 1);
    const [run] = rowsOf<{ title: string }>(
      await handle.db.execute(sql`select title from runs where input->>'ticketId' = ${id}`),
    );
    expect(run?.title).toBe(ticket?.subject);
  });

  it("streams tickets every few moments and holds back while enough triage runs are open", async () => {
    const open = async () =>
      Number(
        rowsOf<{ n: number }>(
          await handle.db.execute(
            sql`select count(*)::int as n from runs where job_id = 'triage-ticket' and state in ('queued', 'running', 'waiting')`,
          ),
        )[0]?.n ?? 0,
      );
    const cap = (await open()) + 2;
    const trickle = startDemoTrickle(handle.db, { minMs: 20, maxMs: 40, maxOpen: cap });
    try {
      await eventually(open, (n) => n === cap, 10_000);
      // No runtime runs them here, so they stay open: the stream must stop at the cap.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await open()).toBe(cap);
    } finally {
      trickle.stop();
    }
  });
});
