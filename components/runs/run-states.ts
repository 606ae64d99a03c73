import type { RunState } from "@/db/schema/runs";

/** The run states in board order (a client-side copy: React code never imports the schema's values). */
export const allRunStates = [
  "queued",
  "running",
  "waiting",
  "paused",
  "failed",
  "timed_out",
  "succeeded",
  "cancelled",
] as const satisfies readonly RunState[];

export const runStateLabels: Record<RunState, string> = {
  queued: "Queued",
  running: "Running",
  waiting: "Waiting",
  paused: "Paused",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  timed_out: "Timed out",
};
