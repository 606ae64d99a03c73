import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { runs, turns } from "@/db/schema";
import type { AuditInput } from "@/lib/audit/types";
import { flagCheckpoint } from "@/lib/flashcards/hooks";
import { redactString } from "@/lib/redaction";
import { runAuthorization, workerActor } from "@/lib/audit";
import { notifyRun } from "./channels";
import type { ClaimedTurn } from "./claim";
import { applyOutcome } from "./outcome";
import type { TurnContext, TurnExecutor, TurnResult } from "./turn-executor";
import { flushAudit, transitionRun, type RunRow } from "./transitions";

/** Why a turn ended without a result. */
export type AbortKind = "hard-cancel" | "deadline" | "shutdown";

export type TurnEnd =
  | { kind: "result"; result: TurnResult }
  | { kind: "error"; message: string }
  | { kind: "aborted"; why: AbortKind; message: string };

export interface CheckpointParams {
  claim: ClaimedTurn;
  workerId: string;
  executor: TurnExecutor;
  context: TurnContext;
  end: TurnEnd;
}

/**
 * Records a turn and moves the run on, in ONE transaction fenced by the lease token. When
 * no row matches the token the worker lost its lease: nothing is written ("lost").
 */
export async function checkpointTurn(db: Db, params: CheckpointParams): Promise<"applied" | "lost"> {
  const { claim, workerId } = params;
  return db.transaction(async (tx) => {
    const [run] = await tx
      .select()
      .from(runs)
      .where(and(eq(runs.id, claim.run.id), eq(runs.leaseToken, claim.leaseToken)))
      .for("update");
    if (!run) return "lost";
    const audit = { actor: workerActor(workerId), authorization: runAuthorization(run) };
    // Audit events are appended last: the chain's lock is then held only for the commit.
    const sink: AuditInput[] = [];
    const end = params.end;
    if (end.kind === "result") {
      await recordCompleted(tx, run, params, end.result, sink);
      await flushAudit(tx, sink);
      return "applied";
    }
    const status = end.kind === "error" ? "failed" : "aborted";
    // A thrown error's text can quote configuration; the turn and run rows keep it redacted.
    const message = redactString(end.message);
    await finishTurn(tx, claim.turnId, { status, error: message });
    sink.push({
      ...audit,
      action: `turn.${status}`,
      subject: { type: "run", id: run.id },
      payload: turnPayload(claim, workerId, end.kind === "aborted" ? { why: end.why } : {}, message),
    });
    const fenced = { fence: { leaseToken: claim.leaseToken }, auditSink: sink };
    if (end.kind === "error") {
      await transitionRun(tx, run.id, "failed", { ...audit, ...fenced, reason: "error", patch: { error: message } });
    } else if (end.why === "hard-cancel") {
      await transitionRun(tx, run.id, "cancelled", { ...audit, ...fenced, reason: "operator", payload: { hard: true } });
    } else if (end.why === "deadline") {
      await transitionRun(tx, run.id, "timed_out", { ...audit, ...fenced, reason: "wall_clock" });
    } else {
      // Shutdown: hand the run back. The interrupted turn re-runs as the next attempt.
      await tx
        .update(runs)
        .set({ leaseToken: null, leaseOwner: null, leaseExpiresAt: null, attempt: run.attempt + 1, updatedAt: sql`now()` })
        .where(eq(runs.id, run.id));
      sink.push({
        ...audit,
        action: "run.released",
        subject: { type: "run", id: run.id },
        payload: { jobId: run.jobId, reason: "shutdown", attempt: run.attempt + 1 },
      });
      await notifyRun(tx, run.id);
    }
    await flushAudit(tx, sink);
    return "applied";
  });
}

async function recordCompleted(
  tx: Tx,
  run: RunRow,
  params: CheckpointParams,
  result: TurnResult,
  sink: AuditInput[],
): Promise<void> {
  const { claim, workerId } = params;
  const tokens = result.usage.inputTokens + result.usage.outputTokens;
  await finishTurn(tx, claim.turnId, {
    status: "completed",
    model: result.model,
    messagesIn: result.messagesIn,
    messagesOut: result.messagesOut,
    toolCalls: result.toolCalls,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
  });
  const [updated] = await tx
    .update(runs)
    .set({
      tokensUsed: run.tokensUsed + tokens,
      turnsUsed: run.turnsUsed + 1,
      updatedAt: sql`now()`,
    })
    .where(eq(runs.id, run.id))
    .returning();
  if (!updated) throw new Error(`run ${run.id} vanished under its row lock`);
  sink.push({
    actor: workerActor(workerId),
    authorization: runAuthorization(run),
    action: "turn.completed",
    subject: { type: "run", id: run.id },
    payload: {
      ...turnPayload(claim, workerId, { outcome: result.outcome.kind }),
      model: result.model,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
    },
  });
  await flagCheckpoint(tx, run, updated, { index: claim.turnIndex, tokens }, sink);
  await params.executor.onCheckpoint?.(tx, params.context, result);
  await applyOutcome(tx, updated, result.outcome, { workerId, leaseToken: claim.leaseToken }, sink);
}

function turnPayload(claim: ClaimedTurn, workerId: string, extra: Record<string, unknown>, error?: string) {
  return {
    jobId: claim.run.jobId,
    turnId: claim.turnId,
    turnIndex: claim.turnIndex,
    attempt: claim.attempt,
    workerId,
    ...extra,
    ...(error === undefined ? {} : { error }),
  };
}

async function finishTurn(tx: Tx, turnId: string, values: Partial<typeof turns.$inferInsert>): Promise<void> {
  await tx
    .update(turns)
    .set({ ...values, finishedAt: sql`clock_timestamp()` })
    .where(eq(turns.id, turnId));
}
