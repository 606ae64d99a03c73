import "server-only";
import { getTool } from "../registry";
import type { ToolDefinition } from "../types";
import { proceed, refuse, type GatewayCall, type StageDecision } from "./stage";

/** Stage 1, allowlist: the job's declared tools, and only tools that exist. */
export function allowlistStage(call: GatewayCall): StageDecision<ToolDefinition> {
  const { scope, request, id } = call;
  const tool = getTool(request.toolName);
  if (!scope.allowedTools.includes(request.toolName) || !tool) {
    const reason = tool ? "not in the job's tool allowlist" : "no such tool";
    return refuse(
      call,
      `tool "${id.tool}" is not available to this job (${reason}); available tools: ${scope.allowedTools.join(", ") || "none"}`,
      "tool.policy_violation",
      { reason },
    );
  }
  return proceed(tool);
}
