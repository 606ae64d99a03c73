import "server-only";

export { invokeTool, type InvokeScope, type ToolCallRequest } from "./gateway";
export { isFinished, modelOutputOf, type ToolCallRecord, type InvokeOutcome, type ModelToolOutput } from "./call-types";
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
export { builtinTools, registerBuiltinTools } from "./builtin";
export { checkToolQuota, type ToolQuotaDecision, type ToolQuotaRequest } from "./stages/quota";
export { assertLease, listToolCalls, ToolLeaseLostError, type ToolCallRow } from "./call-store";
export { approvalSubject } from "./stages/approval-gate";
export { capOutput } from "./output";
export { toolRedactor } from "./redactor";
export { hostAllowed } from "./builtin/http-allowlist";
export { listRunNotifications, listRecentNotifications, type NotificationRow } from "./notifications";
