import "server-only";
import type { ToolDefinition } from "../types";
import { proceed, refuse, type GatewayCall, type StageDecision } from "./stage";

function pinnedCategories(governance: Record<string, unknown>): string[] {
  const list = governance.dataCategories;
  return Array.isArray(list) ? list.filter((c): c is string => typeof c === "string") : [];
}

/**
 * Stage 2, governance: a tool may touch only the data categories pinned on the run (its
 * job version's governance). Start-up refuses declarations that break this; the stage holds
 * runs created under an older declaration, or tools swapped since, to what was authorized.
 */
export function dataCategoriesStage(call: GatewayCall, tool: ToolDefinition): StageDecision<null> {
  const declared = pinnedCategories(call.scope.governance);
  const outside = tool.dataCategories.filter((c) => !declared.includes(c));
  if (outside.length === 0) return proceed(null);
  return refuse(
    call,
    `tool "${tool.name}" touches data categories this run is not authorized for (${outside.join(", ")}); the run's governance declares: ${declared.join(", ") || "none"}`,
    "tool.policy_violation",
    { reason: "data categories outside the run's governance", outside, declared },
  );
}
