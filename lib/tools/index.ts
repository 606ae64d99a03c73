import "server-only";

// The tool gateway's public face. Layers, bottom up: types + call-types + errors →
// call-store (tool_calls rows) → call-audit → stages/* → execution (the one tail) → gateway.
export { invokeTool } from "./gateway";
export {
  isFinished,
  modelOutputOf,
  type InvokeScope,
  type ToolCallRequest,
  type ToolCallRecord,
  type InvokeOutcome,
  type ModelToolOutput,
} from "./call-types";
export { describeTools } from "./describe";
export { registerTools, getTool, listTools } from "./registry";
export {
  defineTool,
  ToolRefusedError,
  sideEffects,
  type DatabaseToolContext,
  type DatabaseToolDefinition,
  type PlainToolDefinition,
  type SideEffect,
  type ToolContext,
  type ToolDefinition,
} from "./types";
export { ToolLeaseLostError, ToolTimeoutError } from "./errors";
export { builtinTools, registerBuiltinTools } from "./builtin";
export { checkToolQuota, type ToolQuotaDecision, type ToolQuotaRequest } from "./stages/quota";
export { assertLease, listToolCalls, type ToolCallRow } from "./call-store";
export { approvalSubject } from "./stages/approval-gate";
export { capOutput } from "./output";
export { registerToolSecrets, toolRedactor } from "./redactor";
export { hostAllowed } from "./builtin/http-allowlist";
export { listRunNotifications, listRecentNotifications, type NotificationRow } from "./notifications";
