import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { runs } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { defineJob, loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime/create-run";
import { jobDeclaration } from "@/tests/fixtures/jobs";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { runTextMatch, searchQuery, searchRuns } from "./search";

/** The palette's text match is served by the trigram index and means what it meant without it. */
describe("run text search index", () => {
  let handle: TestDatabase;
  let id = "";
  beforeAll(async () => {
    handle = await createTestDatabase();
    await loadJobRegistry(handle.db, [defineJob(jobDeclaration({ id: "triage-ticket" }))]);
    const run = await handle.db.transaction((tx) =>
      createRun(tx, {
        jobId: "triage-ticket",
        input: {},
        trigger: { kind: "manual" },
        actor: systemPrincipal("t", "t"),
      }),
    );
    id = run.id;
    // What a ticket triage run carries (its pack derives these from the input).
    await handle.db
      .update(runs)
      .set({ title: "Refund for order 42", input: { customer: "ada@lovelace.example" }, fairGroup: "lovelace.example" })
      .where(eq(runs.id, id));
  });
  afterAll(async () => {
    await handle.drop();
  });

  /** The plan for a text match, with sequential scans priced out (a table this small would be read whole). */
  async function planOf(q: string): Promise<string> {
    return handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = rowsOf<{ "QUERY PLAN": string }>(
        await tx.execute(sql`explain select id from runs where ${runTextMatch(q)}`),
      );
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  }

  it("is looked up in runs_search_trgm_idx, an id prefix on the primary key beside it", async () => {
    expect(await planOf("no such ticket anywhere")).toContain("runs_search_trgm_idx");
    const both = await planOf("cafe1234");
    expect(both).toContain("runs_search_trgm_idx");
    expect(both).toContain("runs_pkey");
  });

  it("matches each field alone: text spanning the title and the job id finds nothing", async () => {
    const find = async (q: string) => (await searchRuns(handle.db, searchQuery.parse({ q }))).runs.map((r) => r.id);
    expect(await find("order 42")).toEqual([id]);
    expect(await find("TRIAGE-tick")).toEqual([id]);
    expect(await find("lovelace.example")).toEqual([id]);
    expect(await find("42 triage")).toEqual([]);
    expect(await find("order_42")).toEqual([]);
  });
});
