import type { RunState } from "@/db/schema/runs";

/** An attempted state change the transition table does not allow; nothing was changed. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly runId: string,
    readonly from: RunState,
    readonly to: RunState,
  ) {
    super(`Run ${runId} cannot go from ${from} to ${to}`);
    this.name = "IllegalTransitionError";
  }

  get state(): RunState {
    return this.from;
  }
}

/** The caller's lease token no longer matches: another worker owns the run now. */
export class LeaseLostError extends Error {
  constructor(readonly runId: string) {
    super(`Lease on run ${runId} was lost`);
    this.name = "LeaseLostError";
  }
}
