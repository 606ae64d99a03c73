import type { RunState } from "@/db/schema/runs";
import type { BoardRun, ColumnId } from "@/lib/board";

/** Card height + gap: the virtualizer places cards at fixed offsets, so nothing ever shifts. */
export const CARD_HEIGHT = 96;
export const CARD_GAP = 6;

/** The kanban's columns, in order. "Needs attention" = failed or timed out and not yet retried. */
export const boardColumns = [
  { id: "queued", title: "Queued", states: ["queued"] },
  { id: "running", title: "Running", states: ["running"] },
  { id: "waiting", title: "Waiting", states: ["waiting"] },
  { id: "paused", title: "Paused", states: ["paused"] },
  { id: "attention", title: "Needs attention", states: ["failed", "timed_out"] },
  { id: "done", title: "Done", states: ["succeeded", "cancelled"] },
] as const satisfies readonly { id: ColumnId; title: string; states: readonly RunState[] }[];

export type { ColumnId };

export const columnIds: readonly ColumnId[] = boardColumns.map((c) => c.id);

/**
 * Where a run sits. A running run with a pause requested is shown as paused (it will be,
 * at the end of its turn — "pausing"); a failed run that was retried is done with.
 */
export function columnOf(run: Pick<BoardRun, "state" | "pauseRequested" | "retried">): ColumnId {
  switch (run.state) {
    case "queued":
      return "queued";
    case "running":
      return run.pauseRequested ? "paused" : "running";
    case "waiting":
      return "waiting";
    case "paused":
      return "paused";
    case "failed":
    case "timed_out":
      return run.retried ? "done" : "attention";
    case "succeeded":
    case "cancelled":
      return "done";
  }
}

// ISO timestamps and ids compare correctly as plain strings; localeCompare would cost
// a collator call per comparison on a 5,000-run board.
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Active columns read oldest first (what has waited longest), Paused most recently paused
 * first, finished ones newest first — as lib/board-columns `columnKeyField` orders them on
 * the server, page by page.
 */
export function compareInColumn(column: ColumnId): (a: BoardRun, b: BoardRun) => number {
  if (column === "attention" || column === "done") {
    return (a, b) => cmp(b.finishedAt ?? b.updatedAt, a.finishedAt ?? a.updatedAt) || cmp(a.id, b.id);
  }
  if (column === "paused") return (a, b) => cmp(b.stateSince, a.stateSince) || cmp(a.id, b.id);
  return (a, b) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
}
