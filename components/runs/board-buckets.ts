import type { BoardRun } from "@/lib/board";
import { boardColumns, columnOf, compareInColumn, type ColumnId } from "./board-columns";
import { beyondFrontier, type ColumnState } from "./board-data";
import { matchesFilters, type BoardFilters } from "./board-filters";

export type Buckets = Record<ColumnId, BoardRun[]>;

/**
 * Runs into their columns, filtered and sorted: the full pass, once per data change. A run
 * behind its column's frontier waits for that column's next page, so a card never shows
 * ahead of runs that sort before it but are not loaded yet.
 */
export function bucketRuns(
  runs: Iterable<BoardRun>,
  filters: BoardFilters,
  columns?: Record<ColumnId, ColumnState>,
): Buckets {
  const buckets = Object.fromEntries(boardColumns.map((c) => [c.id, [] as BoardRun[]])) as Buckets;
  for (const run of runs) {
    if (!matchesFilters(run, filters)) continue;
    const column = columnOf(run);
    if (!columns || !beyondFrontier(run, column, columns[column])) buckets[column].push(run);
  }
  for (const column of boardColumns) buckets[column.id].sort(compareInColumn(column.id));
  return buckets;
}

function insertSorted(list: BoardRun[], run: BoardRun, compare: (a: BoardRun, b: BoardRun) => number): BoardRun[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const probe = list[mid];
    if (probe && compare(probe, run) < 0) lo = mid + 1;
    else hi = mid;
  }
  return [...list.slice(0, lo), run, ...list.slice(lo)];
}

/** Cards moved optimistically: out of their column, into the target (binary insert). Untouched columns keep their arrays. */
export function withPendingMoves(
  sorted: Buckets,
  pending: ReadonlyMap<string, { column: ColumnId }>,
  runs: ReadonlyMap<string, BoardRun>,
  filters: BoardFilters,
): Buckets {
  if (pending.size === 0) return sorted;
  const out: Buckets = { ...sorted };
  for (const [id, move] of pending) {
    const run = runs.get(id);
    if (!run || !matchesFilters(run, filters)) continue;
    const from = columnOf(run);
    if (from === move.column) continue;
    out[from] = out[from].filter((r) => r.id !== id);
    out[move.column] = insertSorted(out[move.column], run, compareInColumn(move.column));
  }
  return out;
}
