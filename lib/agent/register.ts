import "server-only";
import { setTurnExecutor } from "@/lib/runtime/executor-registry";
import { createAgentExecutor, type AgentExecutorOptions } from "./executor";

/**
 * Boot wiring: makes the agent executor the runtime's turn executor. Domain packs must be
 * imported first (they register their tools and simulated scripts).
 */
export function registerAgentExecutor(options: AgentExecutorOptions = {}): void {
  setTurnExecutor(createAgentExecutor(options));
}
