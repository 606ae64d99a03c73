import "server-only";
import type { ToolCallRow } from "../call-store";
import type { ToolDefinition } from "../types";
import { proceed, type GatewayCall, type StageDecision } from "./stage";

/**
 * Stage 5, idempotency: an external call interrupted mid-flight is never repeated blindly;
 * it is recorded as failed. (A database tool never leaves a committed "started" row: its
 * claim commits with its result.)
 */
export function interruptedCallStage(
  _call: GatewayCall,
  tool: ToolDefinition,
  stored: ToolCallRow | undefined,
  approvalId: string | undefined,
): StageDecision<undefined> {
  if (stored?.status === "started" && tool.sideEffect === "external") {
    return {
      verdict: "refuse",
      result: {
        outcome: "failed",
        durationMs: 0,
        ...(approvalId ? { approvalId } : {}),
        error: "an earlier attempt of this call was interrupted; its outcome is unknown, so it was not repeated",
      },
    };
  }
  return proceed(undefined);
}
