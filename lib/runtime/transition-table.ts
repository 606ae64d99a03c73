import type { RunState } from "@/db/schema/runs";

/**
 * THE run state machine: every allowed (from → to). Anything not listed is illegal and
 * transitionRun refuses it. Staying in a state (running → running between turns) is not a
 * transition: lease changes and usage updates happen without one.
 *
 * Pure data so the cockpit can ask which controls a state allows without a round trip.
 */
export const transitionTable: Readonly<Record<RunState, readonly RunState[]>> = {
  // claim → running; approval/resource waits; operator pause/cancel; idle wall-clock sweep.
  queued: ["running", "waiting", "paused", "cancelled", "timed_out"],
  // Turn boundary outcomes, budgets, operator controls, errors.
  running: ["waiting", "paused", "succeeded", "failed", "cancelled", "timed_out"],
  // Approval granted → queued; rejected/cancelled; operator pause; idle wall-clock sweep.
  waiting: ["queued", "paused", "cancelled", "timed_out"],
  // resume → queued, or back to waiting when an approval is still pending.
  paused: ["queued", "waiting", "cancelled"],
  succeeded: [],
  failed: [],
  cancelled: [],
  timed_out: [],
};

export const terminalStates: readonly RunState[] = ["succeeded", "failed", "cancelled", "timed_out"];

export function isTerminal(state: RunState): boolean {
  return terminalStates.includes(state);
}

export function canTransition(from: RunState, to: RunState): boolean {
  return transitionTable[from].includes(to);
}
