import type { BoardRun } from "@/lib/board/types";
import type { ColumnId } from "./board-columns";

export type RunControl = "pause" | "resume" | "cancel" | "retry";

/**
 * Which controls the cockpit offers for a run, mirroring lib/runtime/controls.ts so the UI
 * never offers what the server would refuse for the state it shows. The server decides;
 * a stale board still gets its 409 and rolls back.
 */
export function allowedControls(run: Pick<BoardRun, "state" | "pauseRequested" | "cancelRequested" | "retried">): RunControl[] {
  const out: RunControl[] = [];
  const pausing = run.state === "running" && run.pauseRequested;
  if ((run.state === "queued" || run.state === "waiting" || run.state === "running") && !pausing && !run.cancelRequested) {
    out.push("pause");
  }
  if (run.state === "paused" || pausing) out.push("resume");
  if (["queued", "waiting", "paused", "running"].includes(run.state) && !run.cancelRequested) out.push("cancel");
  if ((run.state === "failed" || run.state === "timed_out" || run.state === "cancelled") && !run.retried) out.push("retry");
  return out;
}

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
