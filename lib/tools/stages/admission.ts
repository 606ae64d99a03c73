import "server-only";
import { assertLease } from "../call-store";
import type { ToolDefinition } from "../types";
import { proceed, refuse, type GatewayCall, type StageDecision } from "./stage";

/**
 * Stage 5, admission: a tool with an `admit` check (memory_lock) asks it, in a transaction
 * fenced by the lease, whether the call may run now. "wait" parks the call (outcome
 * deferred, waitingFor e.g. `lock:customers/ada@…`): the turn ends, the run waits, and the
 * call runs again under its own key on the turn after the wake. Tools without a check proceed.
 */
export async function admissionStage(
  call: GatewayCall,
  tool: ToolDefinition,
  input: unknown,
): Promise<StageDecision<undefined>> {
  const admit = tool.admit;
  if (!admit) return proceed(undefined);
  const { scope, base } = call;
  const decision = await scope.db.transaction(async (tx) => {
    await assertLease(tx, scope.runId, scope.leaseToken);
    return admit(input, { runId: scope.runId, jobId: scope.jobId, tx });
  });
  if (decision.verdict === "admit") return proceed(undefined);
  if (decision.verdict === "refuse")
    return refuse(call, decision.message, decision.auditAction, decision.details ?? {});
  return {
    verdict: "park",
    record: {
      ...base,
      outcome: "deferred",
      waitingFor: decision.waitingFor,
      error: decision.reason,
      durationMs: 0,
      replayed: false,
    },
  };
}
