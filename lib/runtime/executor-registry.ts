import "server-only";
import type { TurnExecutor } from "./turn-executor";

/**
 * Until the agent-turns work registers the real executor, every turn fails with a clear
 * message: a run must never look as if it did something it did not.
 */
export const unconfiguredExecutor: TurnExecutor = {
  async execute() {
    throw new Error("no turn executor configured");
  },
};

// Kept on globalThis: Next's instrumentation and route bundles are separate module graphs.
const key = Symbol.for("flightdeck.turnExecutor");
type Store = typeof globalThis & { [key]?: TurnExecutor };
const store = globalThis as Store;

export function setTurnExecutor(executor: TurnExecutor): void {
  store[key] = executor;
}

export function getTurnExecutor(): TurnExecutor {
  return store[key] ?? unconfiguredExecutor;
}

/**
 * Delegates each call to whatever executor is registered at that moment, so a worker
 * started before the agent-turns code registered its executor still uses it.
 */
export const registeredExecutor: TurnExecutor = {
  execute: (context) => getTurnExecutor().execute(context),
  onCheckpoint: async (tx, context, result) => {
    await getTurnExecutor().onCheckpoint?.(tx, context, result);
  },
};
