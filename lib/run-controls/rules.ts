import type { RunState } from "@/db/schema";

/**
 * Which operator controls a run's state allows — the one source for the server's refusals
 * (lib/runtime/controls.ts answers 409 outside these states) and for what the cockpit
 * offers (allowedControls). Client-safe: no server imports.
 */
export const runControls = ["pause", "resume", "cancel", "retry"] as const;
export type RunControl = (typeof runControls)[number];

const statesAllowing: Record<RunControl, readonly RunState[]> = {
  pause: ["queued", "waiting", "running"],
  resume: ["paused"],
  cancel: ["queued", "waiting", "paused", "running"],
  retry: ["failed", "cancelled", "timed_out"],
};

/** The server's rule: a control outside these states is refused (409). */
export function stateAllows(control: RunControl, state: RunState): boolean {
  return statesAllowing[control].includes(state);
}

export interface ControlledRun {
  state: RunState;
  pauseRequested: boolean;
  cancelRequested: boolean;
  /** A retry of this run exists already. */
  retried: boolean;
}

/**
 * What the cockpit offers for a run: the state rule, minus what is already requested (a
 * pause or cancel awaiting the turn boundary), plus resume to withdraw a pause not yet
 * applied. The server decides; a stale board still gets its 409 and rolls back.
 */
export function allowedControls(run: ControlledRun): RunControl[] {
  const out: RunControl[] = [];
  const pausing = run.state === "running" && run.pauseRequested;
  if (stateAllows("pause", run.state) && !pausing && !run.cancelRequested) out.push("pause");
  if (stateAllows("resume", run.state) || pausing) out.push("resume");
  if (stateAllows("cancel", run.state) && !run.cancelRequested) out.push("cancel");
  if (stateAllows("retry", run.state) && !run.retried) out.push("retry");
  return out;
}
