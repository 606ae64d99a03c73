import { describe, expect, it } from "vitest";
import type { BoardRun, BoardSnapshot } from "@/lib/board";
import { COLUMN_WINDOW } from "@/lib/board-columns";
import { bucketRuns, withPendingMoves } from "./board-buckets";
import { columnOf } from "./board-columns";
import { addRetry, fromResponse, patchRun, withPage } from "./board-data";
import { allowedControls, controlForDrop, optimisticColumn } from "./run-controls";

function run(overrides: Partial<BoardRun> = {}): BoardRun {
  return {
    id: "r1",
    jobId: "job",
    title: null,
    outcome: null,
    state: "queued",
    reason: null,
    waitingFor: null,
    fairKey: "support",
    priority: 0,
    risk: "limited",
    owner: "o@x.example",
    turnsUsed: 0,
    budgetTurns: 8,
    tokensUsed: 0,
    budgetTokens: 1000,
    attempt: 1,
    pauseRequested: false,
    cancelRequested: false,
    retryOf: null,
    retried: false,
    rejectedActions: 0,
    error: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    stateSince: "2026-01-01T00:00:00.000Z",
    finishedAt: null,
    ...overrides,
  };
}

const whole = { total: 0, next: null };
const snapshot = (runs: BoardRun[]): BoardSnapshot => ({
  kind: "snapshot",
  cursor: "2026-01-01T00:00:01.000000Z",
  runs,
  jobs: [],
  columns: { queued: whole, running: whole, waiting: whole, paused: whole, attention: whole, done: whole },
  onBoard: runs.length,
  truncated: false,
});

describe("a rejected action is not plain Succeeded", () => {
  it("says how many actions were rejected", async () => {
    const { runStatusLine } = await import("./run-status-line");
    expect(runStatusLine(run({ state: "succeeded" })).text).toBe("Succeeded");
    expect(runStatusLine(run({ state: "succeeded", rejectedActions: 1 }))).toEqual({
      text: "Succeeded · 1 action rejected",
      tone: "warning",
    });
  });
});

describe("columns", () => {
  it("places runs by state; a pausing run shows as paused, a retried failure as done", () => {
    expect(columnOf(run({ state: "running" }))).toBe("running");
    expect(columnOf(run({ state: "running", pauseRequested: true }))).toBe("paused");
    expect(columnOf(run({ state: "timed_out" }))).toBe("attention");
    expect(columnOf(run({ state: "failed", retried: true }))).toBe("done");
    expect(columnOf(run({ state: "cancelled" }))).toBe("done");
  });
});

describe("drops and controls", () => {
  it("allows exactly what the runtime's controls allow for the state", () => {
    expect(allowedControls(run({ state: "queued" }))).toEqual(["pause", "cancel"]);
    expect(allowedControls(run({ state: "paused" }))).toEqual(["resume", "cancel"]);
    expect(allowedControls(run({ state: "running", pauseRequested: true }))).toEqual(["resume", "cancel"]);
    expect(allowedControls(run({ state: "failed" }))).toEqual(["retry"]);
    expect(allowedControls(run({ state: "failed", retried: true }))).toEqual([]);
    expect(allowedControls(run({ state: "succeeded" }))).toEqual([]);
  });

  it("maps a drop target to a control, or refuses it", () => {
    expect(controlForDrop(run({ state: "running" }), "paused")).toBe("pause");
    expect(controlForDrop(run({ state: "paused" }), "queued")).toBe("resume");
    // Resuming is dropping back on Running as well as on Queued.
    expect(controlForDrop(run({ state: "paused" }), "running")).toBe("resume");
    expect(controlForDrop(run({ state: "failed" }), "queued")).toBe("retry");
    expect(controlForDrop(run({ state: "waiting" }), "cancel")).toBe("cancel");
    expect(controlForDrop(run({ state: "succeeded" }), "cancel")).toBeNull();
    expect(controlForDrop(run({ state: "failed" }), "paused")).toBeNull();
    expect(controlForDrop(run({ state: "queued" }), "running")).toBeNull();
    expect(controlForDrop(run({ state: "queued" }), "done")).toBeNull();
  });

  it("withdrawing a pause keeps the run in Running", () => {
    expect(optimisticColumn("resume", run({ state: "running", pauseRequested: true }))).toBe("running");
    expect(optimisticColumn("resume", run({ state: "paused" }))).toBe("queued");
  });
});

describe("merging the feed", () => {
  it("replaces a run only with a newer row, and keeps a local patch until the server moves on", () => {
    let data = fromResponse(undefined, snapshot([run()]));
    data = patchRun(data, "r1", { state: "paused" });
    // A delta that still carries the pre-action row must not undo the patch.
    data = fromResponse(data, { kind: "delta", cursor: "c2", runs: [run()] });
    expect(data.runs.get("r1")?.state).toBe("paused");
    data = fromResponse(data, {
      kind: "delta",
      cursor: "c3",
      runs: [run({ state: "paused", updatedAt: "2026-01-01T00:00:05.000Z" })],
    });
    expect(data.runs.get("r1")).toMatchObject({ state: "paused", updatedAt: "2026-01-01T00:00:05.000Z" });
    expect(data.runs.get("r1")?.local).toBeUndefined();
  });

  it("returns the same object when a delta changes nothing (no re-render)", () => {
    const data = fromResponse(undefined, snapshot([run()]));
    expect(fromResponse(data, { kind: "delta", cursor: data.cursor, runs: [] })).toBe(data);
    expect(fromResponse(data, { kind: "delta", cursor: "later", runs: [run()] }).runs).toBe(data.runs);
  });

  it("a retry marks the original retried and shows the new run queued; the feed's row for it wins later", () => {
    const failed = run({ id: "f1", state: "failed", finishedAt: "2026-01-01T00:00:00.000Z" });
    let data = addRetry(fromResponse(undefined, snapshot([failed])), failed, "n1", "queued");
    expect(columnOf(data.runs.get("f1") ?? failed)).toBe("done");
    expect(data.runs.get("n1")).toMatchObject({ state: "queued", retryOf: "f1", turnsUsed: 0 });
    data = fromResponse(data, {
      kind: "delta",
      cursor: "c",
      runs: [run({ id: "n1", state: "running", retryOf: "f1", updatedAt: "2026-01-01T00:01:00.000Z" })],
    });
    expect(data.runs.get("n1")?.state).toBe("running");
  });

  it("learns of a retry made elsewhere from the new run's retryOf", () => {
    const failed = run({ id: "f1", state: "failed" });
    const data = fromResponse(fromResponse(undefined, snapshot([failed])), {
      kind: "delta",
      cursor: "c",
      runs: [run({ id: "n2", retryOf: "f1", updatedAt: "2026-01-01T00:02:00.000Z" })],
    });
    expect(data.runs.get("f1")?.retried).toBe(true);
  });
});

describe("a column longer than its window", () => {
  const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, "0")}.000Z`;
  const queued = (i: number) => run({ id: `q${String(i).padStart(3, "0")}`, createdAt: at(i % 60) });
  const windowed = (runs: BoardRun[], total: number): BoardSnapshot => ({
    ...snapshot(runs),
    columns: { ...snapshot(runs).columns, queued: { total, next: "cursor-1" } },
    onBoard: total,
    truncated: true,
  });

  it("hides a run that sorts behind the last loaded one until its page is loaded", () => {
    let data = fromResponse(undefined, windowed([queued(1), queued(2)], 10));
    // A newer queued run sorts after the window's end: counted, not shown (its page is not loaded).
    data = fromResponse(data, {
      kind: "delta",
      cursor: "c2",
      runs: [queued(9)],
      totals: { queued: 11, running: 0, waiting: 0, paused: 0, attention: 0, done: 0 },
    });
    expect(bucketRuns(data.runs.values(), {}, data.columns).queued.map((r) => r.id)).toEqual(["q001", "q002"]);
    expect(data.columns.queued.total).toBe(11);
    // An older one sorts inside the window: shown in place.
    data = fromResponse(data, { kind: "delta", cursor: "c3", runs: [run({ id: "q000", createdAt: at(0) })] });
    expect(bucketRuns(data.runs.values(), {}, data.columns).queued.map((r) => r.id)).toEqual(["q000", "q001", "q002"]);
  });

  it("a page moves the frontier; the last page ends the column", () => {
    let data = fromResponse(undefined, windowed([queued(1), queued(2)], 4));
    data = withPage(data, { kind: "page", column: "queued", runs: [queued(3)], next: "cursor-2" });
    expect(data.columns.queued).toMatchObject({ next: "cursor-2", frontier: { id: "q003" } });
    data = withPage(data, { kind: "page", column: "queued", runs: [queued(4)], next: null });
    expect(data.columns.queued).toMatchObject({ next: null, frontier: null });
    expect(bucketRuns(data.runs.values(), {}, data.columns).queued).toHaveLength(4);
  });

  it("a column that grows a page past what was loaded is cut back, with a cursor at the cut", () => {
    const done = (i: number) =>
      run({ id: `d${String(i).padStart(3, "0")}`, state: "succeeded", finishedAt: at(59 - (i % 60)) });
    let data = fromResponse(undefined, snapshot([]));
    const burst = Array.from({ length: COLUMN_WINDOW * 3 + 10 }, (_, i) => ({ ...done(i), updatedAt: at(59) }));
    data = fromResponse(data, { kind: "delta", cursor: "c2", runs: burst });
    expect(data.columns.done.next).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\|d/);
    expect(data.columns.done.total).toBe(COLUMN_WINDOW * 3 + 10);
    expect(bucketRuns(data.runs.values(), {}, data.columns).done).toHaveLength(COLUMN_WINDOW);
    expect(data.runs.size).toBe(COLUMN_WINDOW);
  });
});

describe("buckets", () => {
  const runs = [
    run({ id: "a", createdAt: "2026-01-01T00:00:03.000Z" }),
    run({ id: "b", createdAt: "2026-01-01T00:00:01.000Z" }),
    run({ id: "p", state: "paused", stateSince: "2026-01-01T00:00:02.000Z" }),
    run({ id: "x", state: "queued", risk: "high", createdAt: "2026-01-01T00:00:02.000Z" }),
  ];

  it("sorts active columns oldest first and applies filters", () => {
    const all = bucketRuns(runs, {});
    expect(all.queued.map((r) => r.id)).toEqual(["b", "x", "a"]);
    expect(bucketRuns(runs, { risk: "high" }).queued.map((r) => r.id)).toEqual(["x"]);
  });

  it("moves a pending card between columns without touching the others", () => {
    const sorted = bucketRuns(runs, {});
    const moved = withPendingMoves(
      sorted,
      new Map([["a", { column: "paused" as const }]]),
      new Map(runs.map((r) => [r.id, r])),
      {},
    );
    expect(moved.queued.map((r) => r.id)).toEqual(["b", "x"]);
    expect(moved.paused.map((r) => r.id)).toEqual(["p", "a"]); // most recently paused first
    expect(moved.waiting).toBe(sorted.waiting);
    expect(withPendingMoves(sorted, new Map(), new Map(), {})).toBe(sorted);
  });
});
