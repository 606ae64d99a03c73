import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { systemPrincipal } from "@/lib/audit";
import { exportRunRows, listRunPage, runListQuery, runsCsvResponse } from "@/lib/board";
import { loadJobRegistry } from "@/lib/jobs";
import { installPacks } from "@/lib/packs";
import { bulkRunControl, createRun } from "@/lib/runtime";
import { packs } from "@/server/packs";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { operator } from "../runtime/helpers";

describe("the runs list view: filters, sort, pages, CSV and bulk controls", () => {
  let handle: TestDatabase;
  const ids: string[] = [];
  beforeAll(async () => {
    handle = await createTestDatabase();
    await loadJobRegistry(handle.db, installPacks(packs));
    const actor = systemPrincipal("test", "test");
    for (let i = 0; i < 12; i++) {
      const run = await handle.db.transaction((tx) =>
        createRun(tx, {
          jobId: "triage-ticket",
          input: { subject: `Ticket ${i}, "quoted"`, body: "Body.", customer: `c${i % 3}@example.com` },
          trigger: { kind: "manual" },
          actor,
        }),
      );
      ids.push(run.id);
    }
    // One old run, outside the default 7-day window.
    await handle.db.execute(sql`update runs set created_at = now() - interval '30 days' where id = ${ids[0] ?? ""}`);
  });
  afterAll(async () => {
    await handle.drop();
  });

  const page = (params: Record<string, string>) => listRunPage(handle.db, runListQuery.parse(params));

  it("pages newest first within the last 7 days by default, with the total", async () => {
    const first = await page({ pageSize: "10" });
    expect(first.total).toBe(11);
    expect(first.runs).toHaveLength(10);
    expect(first.runs[0]?.id).toBe(ids[11]);
    expect(first.runs[0]).toMatchObject({ title: 'Ticket 11, "quoted"', jobTitle: "Triage support ticket" });
    const second = await page({ pageSize: "10", page: "2" });
    expect(second.runs.map((r) => r.id)).toEqual([ids[1]]);
    expect((await page({ range: "all" })).total).toBe(12);
  });

  it("filters by words, customer, state and job, and sorts by a column either way", async () => {
    expect((await page({ q: "Ticket 7" })).runs.map((r) => r.id)).toEqual([ids[7]]);
    expect((await page({ q: "c1@example.com" })).total).toBe(4);
    expect((await page({ state: "queued", job: "triage-ticket" })).total).toBe(11);
    expect((await page({ state: "succeeded" })).total).toBe(0);
    const asc = await page({ sort: "created", dir: "asc", range: "all" });
    expect(asc.runs[0]?.id).toBe(ids[0]);
    expect(runListQuery.safeParse({ state: "nope" }).success).toBe(false);
  });

  it("exports every match as CSV with a header, quoting what needs it", async () => {
    const response = runsCsvResponse(handle.db, runListQuery.parse({ q: "Ticket 1" }));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,title,job,state,reason,outcome,fair_share_key,priority,owner,risk,turns,tokens,attempt,error,created_at,state_since,finished_at",
    );
    // "Ticket 1" and "Ticket 10", "Ticket 11"
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`"Ticket 11, ""quoted"""`);
    let streamed = 0;
    for await (const batch of exportRunRows(handle.db, runListQuery.parse({ range: "all" }))) streamed += batch.length;
    expect(streamed).toBe(12);
  });

  it("applies a bulk control run by run and lists the refusals with their reasons", async () => {
    const [a, b] = ids.slice(2, 4) as [string, string];
    await bulkRunControl(handle.db, [a], "pause", operator);
    const result = await bulkRunControl(handle.db, [a, b, "missing-run"], "pause", operator);
    expect(result.applied.map((r) => r.id)).toEqual([b]);
    expect(result.refused).toEqual([
      { id: a, code: "conflict", message: "Cannot pause a run that is paused" },
      { id: "missing-run", code: "not_found", message: expect.stringContaining("missing-run") as string },
    ]);
    const resumed = await bulkRunControl(handle.db, [a, b], "resume", operator);
    expect(resumed.refused).toEqual([]);
  });
});
