import "server-only";
import { appContext } from "@/lib/context";
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

// Held by the app context (lib/context): instrumentation and route bundles share it.
declare module "@/lib/context/app-context" {
  interface AppContext {
    turnExecutor?: TurnExecutor;
  }
}

export function setTurnExecutor(executor: TurnExecutor): void {
  appContext().turnExecutor = executor;
}

export function getTurnExecutor(): TurnExecutor {
  return appContext().turnExecutor ?? unconfiguredExecutor;
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
