import "server-only";
import type { Db } from "@/db/client";
import { declaredEntity, jobMemoryPolicy, MemoryPolicyError, requestLock } from "@/lib/memory";
import type { TurnOutcome } from "@/lib/runtime/turn-executor";
import { assertLease } from "@/lib/tools";

/**
 * The locks a job declares from its input (`locks: input => [...]`), taken exclusive before
 * the run's first model call, one at a time in name order (so two runs declaring the same
 * entities cannot deadlock each other). Answers undefined when all are held; a wait outcome
 * (`lock:<entity>`) when one is queued — the run waits without a model slot and is woken when
 * it is granted; a fail outcome when the declaration is bad or a request was refused.
 */
export async function acquireDeclaredLocks(
  db: Db,
  run: { runId: string; jobId: string; input: unknown; leaseToken: string },
): Promise<TurnOutcome | undefined> {
  const policy = jobMemoryPolicy(run.jobId);
  if (!policy.locks) return undefined;
  let entities: string[];
  try {
    entities = [...new Set(policy.locks(run.input))].map((e) => {
      const ref = declaredEntity(e);
      return `${ref.collection}/${ref.key}`;
    });
  } catch (error) {
    const message = error instanceof MemoryPolicyError || error instanceof Error ? error.message : String(error);
    return {
      kind: "fail",
      reason: "locks",
      message: `the job's declared locks could not be derived from the input: ${message}`,
    };
  }
  for (const entity of entities.sort()) {
    const result = await db.transaction(async (tx) => {
      await assertLease(tx, run.runId, run.leaseToken);
      return requestLock(tx, { runId: run.runId, entity, mode: "exclusive", timeoutMs: policy.lockTimeoutMs });
    });
    if (result.status === "held") continue;
    if (result.status === "waiting") return { kind: "wait", reason: "lock", waitingFor: entity };
    return { kind: "fail", reason: "lock", message: `declared lock on ${entity} refused: ${result.reason}` };
  }
  return undefined;
}
