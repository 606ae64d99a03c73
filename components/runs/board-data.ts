import type { BoardJob, BoardPage, BoardResponse, BoardRun, BoardSnapshot, ColumnId } from "@/lib/board";
import { COLUMN_WINDOW as PAGE, cursorAfterRun } from "@/lib/board-columns";
import { boardColumns, columnOf, compareInColumn } from "./board-columns";

/** A board run patched in the browser by a control the server accepted, until the feed catches up. */
export type LocalRun = BoardRun & { local?: true };

/**
 * What the browser holds of one column. With `next` set the column goes on past what is
 * loaded: runs that sort after `frontier` are not shown (they belong to a page not loaded
 * yet) and `total` is the server's count. Without it, every run of the column is here.
 */
export interface ColumnState {
  total: number;
  next: string | null;
  frontier: BoardRun | null;
  /** Runs the snapshot and pages brought: how far the column may grow before it is cut back. */
  loaded: number;
}

export interface BoardData {
  cursor: string;
  runs: Map<string, LocalRun>;
  jobs: Map<string, BoardJob>;
  columns: Record<ColumnId, ColumnState>;
  /** Runs on the board without the filters. */
  onBoard: number;
}

/** Behind the column's last loaded run: it belongs to a page not fetched yet. */
export function beyondFrontier(run: BoardRun, column: ColumnId, state: ColumnState): boolean {
  return state.next !== null && state.frontier !== null && compareInColumn(column)(run, state.frontier) > 0;
}

function lastOf(runs: readonly BoardRun[], column: ColumnId): BoardRun | null {
  const compare = compareInColumn(column);
  let last: BoardRun | null = null;
  for (const run of runs) if (columnOf(run) === column && (!last || compare(run, last) > 0)) last = run;
  return last;
}

function fromSnapshot(snapshot: BoardSnapshot): BoardData {
  const columns = {} as Record<ColumnId, ColumnState>;
  for (const { id } of boardColumns) {
    const window = snapshot.columns[id];
    const frontier = window.next ? lastOf(snapshot.runs, id) : null;
    columns[id] = { total: window.total, next: frontier ? window.next : null, frontier, loaded: PAGE };
  }
  return {
    cursor: snapshot.cursor,
    runs: new Map(snapshot.runs.map((r) => [r.id, r])),
    jobs: new Map(snapshot.jobs.map((j) => [j.id, j])),
    columns,
    onBoard: snapshot.onBoard,
  };
}

/** Incoming rows into the map; only a newer row wins (deltas overlap, a local patch keeps the row's old timestamp). */
function mergeRuns(runs: Map<string, LocalRun>, incoming: readonly BoardRun[]): boolean {
  let changed = false;
  for (const row of incoming) {
    const existing = runs.get(row.id);
    if (existing && row.updatedAt <= existing.updatedAt) continue;
    runs.set(row.id, { ...row, retried: row.retried || Boolean(existing?.retried) });
    if (row.retryOf) markRetried(runs, row.retryOf);
    changed = true;
  }
  return changed;
}

export function fromResponse(previous: BoardData | undefined, response: BoardResponse): BoardData {
  if (response.kind === "snapshot") return fromSnapshot(response);
  if (!previous) throw new Error("a delta needs a snapshot first");
  const totals = response.totals;
  const columns = totals ? withTotals(previous.columns, totals) : previous.columns;
  const onBoard = response.onBoard ?? previous.onBoard;
  if (response.runs.length === 0)
    return previous.cursor === response.cursor ? previous : { ...previous, cursor: response.cursor };
  const runs = new Map(previous.runs);
  if (!mergeRuns(runs, response.runs) && columns === previous.columns)
    return { ...previous, cursor: response.cursor, onBoard };
  return { ...previous, cursor: response.cursor, onBoard, ...trim(runs, columns) };
}

/** A further page of one column: its runs in, the column's frontier moved to the page's end. */
export function withPage(data: BoardData, page: BoardPage): BoardData {
  const runs = new Map(data.runs);
  mergeRuns(runs, page.runs);
  const before = data.columns[page.column];
  const frontier = page.next ? lastOf(page.runs, page.column) : null;
  const columns = {
    ...data.columns,
    [page.column]: {
      total: before.total,
      next: frontier ? page.next : null,
      frontier,
      loaded: before.loaded + page.runs.length,
    },
  };
  return { ...data, ...trim(runs, columns) };
}

function withTotals(
  columns: Record<ColumnId, ColumnState>,
  totals: Record<ColumnId, number>,
): Record<ColumnId, ColumnState> {
  const out = { ...columns };
  for (const { id } of boardColumns) out[id] = { ...columns[id], total: totals[id] };
  return out;
}

function markRetried(runs: Map<string, LocalRun>, id: string): void {
  const original = runs.get(id);
  if (original && !original.retried) runs.set(id, { ...original, retried: true });
}

/**
 * Keeps the browser's copy bounded: runs behind a column's frontier are dropped (a page
 * brings them back), and a column that grew a page past what was loaded — Done on a busy
 * day, a queue filling up — is cut back there, its cursor made from the last run kept.
 */
function trim(
  runs: Map<string, LocalRun>,
  columns: Record<ColumnId, ColumnState>,
): { runs: Map<string, LocalRun>; columns: Record<ColumnId, ColumnState> } {
  const byColumn = Object.fromEntries(boardColumns.map((c) => [c.id, [] as LocalRun[]])) as Record<
    ColumnId,
    LocalRun[]
  >;
  for (const run of runs.values()) {
    const column = columnOf(run);
    if (beyondFrontier(run, column, columns[column])) runs.delete(run.id);
    else byColumn[column].push(run);
  }
  let out = columns;
  for (const { id } of boardColumns) {
    const list = byColumn[id];
    const state = columns[id];
    if (list.length <= state.loaded + PAGE) continue;
    list.sort(compareInColumn(id));
    const frontier = list[state.loaded - 1];
    if (!frontier) continue;
    for (const run of list.slice(state.loaded)) runs.delete(run.id);
    out = {
      ...out,
      [id]: { ...state, frontier, next: cursorAfterRun(id, frontier), total: Math.max(state.total, list.length) },
    };
  }
  return { runs, columns: out };
}

/** Applies what a successful control returned, so the card stays where it landed. */
export function patchRun(data: BoardData, runId: string, patch: Partial<BoardRun>): BoardData {
  const run = data.runs.get(runId);
  if (!run) return data;
  const runs = new Map(data.runs);
  runs.set(runId, { ...run, ...patch, local: true });
  return { ...data, runs };
}

/** A retry creates a new run: show it in Queued at once; the feed fills in the rest. */
export function addRetry(data: BoardData, original: BoardRun, newId: string, state: BoardRun["state"]): BoardData {
  const runs = new Map(data.runs);
  const now = new Date().toISOString();
  runs.set(original.id, { ...original, retried: true, local: true });
  if (!runs.has(newId)) {
    runs.set(newId, {
      ...original,
      id: newId,
      state,
      reason: null,
      waitingFor: null,
      turnsUsed: 0,
      tokensUsed: 0,
      attempt: 1,
      pauseRequested: false,
      cancelRequested: false,
      retryOf: original.id,
      retried: false,
      error: null,
      outcome: null,
      createdAt: now,
      stateSince: now,
      updatedAt: original.updatedAt,
      finishedAt: null,
      local: true,
    });
  }
  return { ...data, runs };
}
