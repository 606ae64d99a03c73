import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { runs } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { COLUMN_WINDOW, cursorAfterRun } from "@/lib/board-columns";
import { defineJob, loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime/create-run";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { jobDeclaration } from "@/tests/fixtures/jobs";
import { boardColumnPage, boardDelta, boardSnapshot } from "./queries";

const operator: Principal = { kind: "user", id: "u-op", label: "op@flightdeck.local", role: "operator" };
const bulk = defineJob(jobDeclaration({ id: "window-bulk", title: "Window bulk" }));
const other = defineJob(
  jobDeclaration({
    id: "window-other",
    title: "Window other",
    governance: {
      ...jobDeclaration().governance,
      owner: "ops@acme.example",
      riskLevel: "high",
      humanOversight: "approve-run",
    },
  }),
);

let handle: TestDatabase;
const bulkIds: string[] = [];
let otherId = "";

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadJobRegistry(handle.db, [bulk, other]);
  await syncModelEndpoints(handle.db, [{ name: "default", provider: "test", model: "test", maxConcurrency: 4 }]);
  await handle.db.transaction(async (tx) => {
    for (let i = 0; i < COLUMN_WINDOW * 2 + 5; i++) {
      const run = await createRun(tx, {
        jobId: "window-bulk",
        input: {},
        trigger: { kind: "manual" },
        actor: operator,
      });
      bulkIds.push(run.id);
    }
    otherId = (await createRun(tx, { jobId: "window-other", input: {}, trigger: { kind: "manual" }, actor: operator }))
      .id;
  });
  // Distinct creation times a millisecond apart, some sharing one, so order and ties are both exercised.
  await handle.db.execute(sql`
    update runs set created_at = timestamp '2026-12-01 00:00:00+00' + (ord / 2) * interval '1 millisecond'
      from (select id as rid, row_number() over (order by id) as ord from runs where state = 'queued') as o
     where runs.id = o.rid`);
}, 60_000);
afterAll(async () => {
  await handle.drop();
});

async function queuedInOrder(jobId?: string): Promise<string[]> {
  const rows = await handle.db
    .select({ id: runs.id })
    .from(runs)
    .where(jobId ? eq(runs.jobId, jobId) : inArray(runs.state, ["queued"]))
    .orderBy(runs.createdAt, runs.id);
  return rows.map((r) => r.id);
}

describe("board columns are windowed on the server", () => {
  it("sends one window per column with the column's total and where the next page starts", async () => {
    const snapshot = await boardSnapshot(handle.db);
    const queued = snapshot.runs.filter((r) => r.state === "queued");
    expect(queued.map((r) => r.id)).toEqual((await queuedInOrder()).slice(0, COLUMN_WINDOW));
    expect(snapshot.columns.queued).toMatchObject({ total: COLUMN_WINDOW * 2 + 5 });
    // A high-risk job's run waits for its approval first.
    expect(snapshot.columns.waiting).toEqual({ total: 1, next: null });
    expect(snapshot.columns.queued.next).not.toBeNull();
    expect(snapshot.columns.done).toEqual({ total: 0, next: null });
    expect(snapshot.onBoard).toBe(COLUMN_WINDOW * 2 + 6);
    expect(snapshot.truncated).toBe(true);
  });

  it("pages a column to its end in order, without repeating or skipping a run", async () => {
    const snapshot = await boardSnapshot(handle.db);
    const seen = snapshot.runs.filter((r) => r.state === "queued").map((r) => r.id);
    let next = snapshot.columns.queued.next;
    let pages = 0;
    while (next) {
      const page = await boardColumnPage(handle.db, "queued", next);
      if (!page) throw new Error("cursor refused");
      seen.push(...page.runs.map((r) => r.id));
      next = page.next;
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(await queuedInOrder());
  });

  it("a cursor the browser makes from a loaded run repeats at most that millisecond, never skips", async () => {
    const order = await queuedInOrder();
    const snapshot = await boardSnapshot(handle.db);
    const tenth = snapshot.runs.find((r) => r.id === order[9]);
    if (!tenth) throw new Error("tenth run missing");
    const page = await boardColumnPage(handle.db, "queued", cursorAfterRun("queued", tenth));
    const ids = page?.runs.map((r) => r.id) ?? [];
    // The tenth run shares its millisecond with the eleventh: the page starts at that
    // millisecond, so it repeats the tenth itself and skips nothing.
    expect(ids.slice(0, 3)).toEqual(order.slice(9, 12));
  });

  it("filters windows and totals on the server, and still counts the whole board", async () => {
    const snapshot = await boardSnapshot(handle.db, { risk: "high" });
    expect(snapshot.runs.map((r) => r.id)).toEqual([otherId]);
    expect(snapshot.columns.waiting).toEqual({ total: 1, next: null });
    expect(snapshot.columns.queued).toEqual({ total: 0, next: null });
    expect(snapshot.onBoard).toBe(COLUMN_WINDOW * 2 + 6);
    const byOwner = await boardSnapshot(handle.db, { owner: "ops@acme.example", state: "waiting" });
    expect(byOwner.runs.map((r) => r.id)).toEqual([otherId]);
    expect((await boardSnapshot(handle.db, { job: "window-bulk" })).columns.queued.total).toBe(COLUMN_WINDOW * 2 + 5);
  });

  it("a delta brings fresh totals when a run changed, and none when nothing did", async () => {
    const { cursor } = await boardSnapshot(handle.db);
    await handle.db
      .update(runs)
      .set({ updatedAt: sql`now() - interval '1 minute'` })
      .where(sql`true`);
    expect(await boardDelta(handle.db, cursor)).toMatchObject({ runs: [] });
    expect((await boardDelta(handle.db, cursor))?.totals).toBeUndefined();
    await handle.db
      .update(runs)
      .set({ state: "succeeded", finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(runs.id, bulkIds[0] ?? ""));
    const delta = await boardDelta(handle.db, cursor, { job: "window-bulk" });
    expect(delta?.runs.map((r) => r.id)).toEqual([bulkIds[0]]);
    expect(delta?.totals).toMatchObject({ queued: COLUMN_WINDOW * 2 + 4, waiting: 0, done: 1 });
    expect(delta?.onBoard).toBe(COLUMN_WINDOW * 2 + 6);
  });

  it("Done reaches as far back as the board's time range; Needs attention keeps its week", async () => {
    await handle.db
      .update(runs)
      .set({ state: "succeeded", finishedAt: sql`now() - interval '2 days'`, updatedAt: sql`now()` })
      .where(eq(runs.id, bulkIds[1] ?? ""));
    await handle.db
      .update(runs)
      .set({ state: "failed", finishedAt: sql`now() - interval '2 days'`, updatedAt: sql`now()` })
      .where(eq(runs.id, bulkIds[2] ?? ""));
    const day = await boardSnapshot(handle.db, { job: "window-bulk" }, "24h");
    expect(day.runs.map((r) => r.id)).not.toContain(bulkIds[1]);
    expect(day.columns.attention.total).toBe(1);
    const week = await boardSnapshot(handle.db, { job: "window-bulk" }, "7d");
    expect(week.runs.map((r) => r.id)).toContain(bulkIds[1]);
    expect(week.columns.done.total).toBe(day.columns.done.total + 1);
    const hour = await boardSnapshot(handle.db, { job: "window-bulk" }, "1h");
    expect(hour.columns.attention.total).toBe(1);
    expect((await boardSnapshot(handle.db, { job: "window-bulk" }, "all")).columns.done.total).toBe(
      week.columns.done.total,
    );
  });

  it("refuses a cursor it did not hand out", async () => {
    expect(await boardColumnPage(handle.db, "queued", "not-a-cursor")).toBeNull();
    expect(await boardColumnPage(handle.db, "queued", "2026-12-01T00:00:00.000Z|x")).toBeNull();
  });
});
