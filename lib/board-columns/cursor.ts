import type { ColumnId } from "./ids";

/**
 * Where a board column's next page starts: the sort key of the last run loaded (its
 * timestamp to the microsecond, then its id). Shared by the server, which hands cursors
 * out, and the browser, which cuts an overgrown column back and must say where the cut is.
 */
export interface ColumnCursor {
  at: string;
  id: string;
}

/**
 * The timestamp a column reads in order, and which way: active columns oldest first (what
 * has waited longest), Paused by when it was paused, finished columns newest first.
 */
export const columnKeyField: Record<
  ColumnId,
  { field: "createdAt" | "stateSince" | "finishedAt"; descending: boolean }
> = {
  queued: { field: "createdAt", descending: false },
  running: { field: "createdAt", descending: false },
  waiting: { field: "createdAt", descending: false },
  paused: { field: "stateSince", descending: true },
  attention: { field: "finishedAt", descending: true },
  done: { field: "finishedAt", descending: true },
};

/** The fields of a board run a cursor is made from. */
export interface KeyedRun {
  id: string;
  createdAt: string;
  stateSince: string;
  updatedAt: string;
  finishedAt: string | null;
}

const microseconds = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

export function encodeCursor(cursor: ColumnCursor): string {
  return `${cursor.at}|${cursor.id}`;
}

/** Null when the text is not a column cursor. */
export function decodeCursor(text: string): ColumnCursor | null {
  const bar = text.indexOf("|");
  if (bar < 0) return null;
  const at = text.slice(0, bar);
  const id = text.slice(bar + 1);
  return microseconds.test(at) && id.length > 0 && id.length <= 100 ? { at, id } : null;
}

/**
 * The cursor after a run the browser holds. Its timestamps stop at milliseconds, so the
 * cut sits just outside that whole millisecond, on the side already loaded: the next
 * page may repeat a run or two (merged by id) but never skips one.
 */
export function cursorAfterRun(column: ColumnId, run: KeyedRun): string {
  const { field, descending } = columnKeyField[column];
  const ms = Date.parse((field === "finishedAt" ? run.finishedAt : run[field]) ?? run.updatedAt);
  const at = descending
    ? `${new Date(ms + 1).toISOString().slice(0, -1)}000Z`
    : `${new Date(ms - 1).toISOString().slice(0, -1)}999Z`;
  return encodeCursor({ at, id: run.id });
}
