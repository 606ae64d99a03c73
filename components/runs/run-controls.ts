import { allowedControls, type RunControl } from "@/lib/run-controls";
import type { BoardRun } from "@/lib/board";
import type { ColumnId } from "./board-columns";

// The rules live in lib/run-controls (shared with the server's refusals); this file adds the board's gestures.
export { allowedControls, type RunControl } from "@/lib/run-controls";

/** The drop target "cancel" is the cancel zone shown while dragging. */
export type DropTarget = ColumnId | "cancel";

/** What dropping a run on a target does, or null when the drop is not allowed. */
export function controlForDrop(run: Parameters<typeof allowedControls>[0], target: DropTarget): RunControl | null {
  const allowed = allowedControls(run);
  const want: RunControl | null =
    target === "cancel"
      ? "cancel"
      : target === "paused"
        ? "pause"
        : target === "running"
          ? run.state === "paused"
            ? "resume"
            : null
          : target === "queued"
            ? run.state === "paused" || run.state === "running"
              ? "resume"
              : "retry"
            : null;
  return want !== null && allowed.includes(want) ? want : null;
}

/** Where the card goes while the server works on it. */
export function optimisticColumn(control: RunControl, run: Pick<BoardRun, "state">): ColumnId {
  switch (control) {
    case "pause":
      return "paused";
    case "resume":
      // Withdrawing a pause not yet applied: the run simply keeps running.
      return run.state === "running" ? "running" : "queued";
    case "retry":
      return "queued";
    case "cancel":
      return "done";
  }
}

export const controlLabels: Record<RunControl, { label: string; progressive: string; done: string; key: string }> = {
  pause: { label: "Pause", progressive: "Pausing", done: "Paused", key: "p" },
  resume: { label: "Resume", progressive: "Resuming", done: "Resumed", key: "r" },
  cancel: { label: "Cancel", progressive: "Cancelling", done: "Cancelled", key: "c" },
  retry: { label: "Retry", progressive: "Retrying", done: "Retried", key: "t" },
};
