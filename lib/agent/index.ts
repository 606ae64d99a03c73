import "server-only";

export { createAgentExecutor, type AgentExecutorOptions } from "./executor";
export { runInputMessage, unresolvedCalls, finalOutput } from "./messages";
export { registerAgentExecutor } from "./register";
