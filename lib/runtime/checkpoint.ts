import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { pgBool, rowsOf } from "@/db/rows";
import { runs, turns } from "@/db/schema";
import type { AuditInput } from "@/lib/audit/types";
import { flagCheckpoint } from "@/lib/flashcards/hooks";
import { redactString } from "@/lib/redaction";
import { settleEndpointTokens } from "@/lib/resources/endpoint-tokens";
import { schedulingConfig } from "@/lib/scheduling/config";
import { turnCost } from "@/lib/scheduling/policy";
import { auditRowsJson, runAuthorization, workerActor } from "@/lib/audit";
import { notifyRun } from "./channels";
import type { ClaimedTurn } from "./claim";
import { mapRunRow } from "./claim-order";
import { applyOutcome } from "./outcome";
import type { TurnContext, TurnExecutor, TurnResult } from "./turn-executor";
import { flushAudit, transitionRun, type RunRow } from "./transitions";

/** Why a turn ended without a result. */
/** transient: the database failed under the turn for longer than it could retry; the run is handed back, not failed. */
export type AbortKind = "hard-cancel" | "deadline" | "shutdown" | "transient";

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
  /** Called after commit with a completed turn's messages as stored (the worker's history cache). */
  onStored?: (messages: unknown[]) => void;
  /** Hands the freed model slot to the next turn in this transaction (claim.ts, claimHandedOverSlot). */
  handoff?: SlotHandoff;
}

export interface SlotHandoff {
  /** Claims the next turn on the finished turn's endpoint inside the checkpoint's transaction, or null. */
  claim(tx: Tx, previous: ClaimedTurn, sink: AuditInput[]): Promise<ClaimedTurn | null>;
  /** Called after commit, after onStored, with the turn claimed. */
  started(next: ClaimedTurn): void;
}

/**
 * Records a turn and moves the run on, in ONE transaction fenced by the lease token. When
 * no row matches the token the worker lost its lease: nothing is written ("lost").
 * Round trips of a completed turn: lock the run and finish the turn row (reading the database
 * clock with them), a finishing run's open decisions, one UPDATE of the run (counters and next state
 * together), and the tail (NOTIFY, charge, the handoff's lock try, all the turn's audit events).
 */
export async function checkpointTurn(db: Db, params: CheckpointParams): Promise<"applied" | "lost"> {
  const { claim, workerId } = params;
  let stored: unknown[] | null = null;
  let next: ClaimedTurn | null = null;
  const outcome = await db.transaction(async (tx): Promise<"applied" | "lost"> => {
    const end = params.end;
    // A completed turn's real cost: stored on its row and charged to its key in the tail.
    const cost = end.kind === "result" ? turnCost(end.result.usage, schedulingConfig()) : 0;
    const locked = await lockForCheckpoint(tx, claim, end.kind === "result" ? { result: end.result, cost } : null);
    if (!locked) return "lost";
    const { run, nowMs } = locked;
    const audit = { actor: workerActor(workerId), authorization: runAuthorization(run) };
    // The transaction's audit events are collected and written in one insert at the end.
    const sink: AuditInput[] = [];
    if (end.kind === "result") {
      stored = locked.stored;
      const runnableAgain = await recordCompleted(tx, run, params, end.result, sink, nowMs);
      // The endpoint's lock is tried only once this turn's rows are written: claimers wait for it
      // through the handoff and the commit alone. Taken, the handoff's claim appends the events.
      if (await checkpointTail(tx, run, claim.estimatedCost, cost, params.handoff !== undefined, sink)) {
        // A run that goes on is runnable again, and the handoff's pick may choose it: its counters, kept at
        // commit (drizzle/0032), are brought up to date first. A run that finished or waits changes no lane the pick reads.
        if (runnableAgain) await countCountersNow(tx);
        next = (await params.handoff?.claim(tx, claim, sink)) ?? null;
      }
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
      await transitionRun(tx, run.id, "cancelled", {
        ...audit,
        ...fenced,
        reason: "operator",
        payload: { hard: true },
      });
    } else if (end.why === "deadline") {
      await transitionRun(tx, run.id, "timed_out", { ...audit, ...fenced, reason: "wall_clock" });
    } else {
      // Shutdown or a database fault: hand the run back. The interrupted turn re-runs as the
      // next attempt (from its journaled answer, so its tool calls are the same calls).
      await tx
        .update(runs)
        .set({
          leaseToken: null,
          leaseOwner: null,
          leaseExpiresAt: null,
          attempt: run.attempt + 1,
          updatedAt: sql`now()`,
        })
        .where(eq(runs.id, run.id));
      sink.push({
        ...audit,
        action: "run.released",
        subject: { type: "run", id: run.id },
        payload: { jobId: run.jobId, reason: end.why, attempt: run.attempt + 1 },
      });
      await notifyRun(tx, run.id);
    }
    await flushAudit(tx, sink);
    return "applied";
  });
  if (outcome === "applied" && stored !== null) params.onStored?.(stored);
  if (next) params.handoff?.started(next);
  return outcome;
}

/** Fires the fair-share counter updates this transaction has raised so far, instead of at its commit. */
async function countCountersNow(tx: Tx): Promise<void> {
  await tx.execute(sql`set constraints runs_scheduling_counters immediate`);
}

/** Answers whether the run is runnable again (applyOutcome released its lease). */
async function recordCompleted(
  tx: Tx,
  run: RunRow,
  params: CheckpointParams,
  result: TurnResult,
  sink: AuditInput[],
  nowMs: number,
): Promise<boolean> {
  const { claim, workerId } = params;
  const tokens = result.usage.inputTokens + result.usage.outputTokens;
  // The turn row was finished with the run's row lock (lockForCheckpoint); the counters are
  // written by applyOutcome's one UPDATE of the run.
  const counters = { tokensUsed: run.tokensUsed + tokens, turnsUsed: run.turnsUsed + 1 };
  const updated: RunRow = { ...run, ...counters };
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
  // The run's NOTIFY goes in the checkpoint's tail, one statement after this UPDATE.
  const runnableAgain = await applyOutcome(
    tx,
    updated,
    result.outcome,
    { workerId, leaseToken: claim.leaseToken },
    sink,
    {
      patch: counters,
      nowMs,
      notifiedByCaller: true,
    },
  );
  if (claim.tokenLimited)
    await settleEndpointTokens(
      tx,
      run.modelEndpoint,
      claim.estimatedCost,
      result.usage.inputTokens + result.usage.outputTokens,
    );
  return runnableAgain;
}

interface LockedForCheckpoint {
  run: RunRow;
  /** The database clock at the transaction's start. */
  nowMs: number;
  /** A completed turn's messages as stored (messages_in then messages_out); empty otherwise. */
  stored: unknown[];
}

/**
 * The checkpoint's first statement: the run's row locked, fenced by the lease token, with the
 * database clock — and for a completed turn the turn row finished in the same statement, since
 * nothing between decides whether it is written. Null: the lease was lost; nothing was written.
 */
async function lockForCheckpoint(
  tx: Tx,
  claim: ClaimedTurn,
  turn: { result: TurnResult; cost: number } | null,
): Promise<LockedForCheckpoint | null> {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const completed = turn?.result;
  // flightdeck_lock_checkpoint (drizzle/0031_checkpoint_functions.sql): no row when the lease was lost.
  const [row] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      select s.now_ms as "__now_ms", s.messages_in as "__messages_in", s.messages_out as "__messages_out", (s.run).*
      from flightdeck_lock_checkpoint(${claim.run.id}, ${claim.leaseToken}, ${claim.turnId}, ${completed !== undefined},
        ${turn?.cost ?? null}::float8, ${completed?.model ?? null}::text, ${json(completed?.messagesIn)}::jsonb,
        ${json(completed?.messagesOut)}::jsonb, ${json(completed?.toolCalls)}::jsonb,
        ${completed?.usage.inputTokens ?? null}::int, ${completed?.usage.outputTokens ?? null}::int,
        ${completed?.modelMs ?? null}::int) s`),
  );
  if (!row) return null;
  const messages = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);
  return {
    run: mapRunRow(row),
    nowMs: Number(row.__now_ms),
    stored: [...messages(row.__messages_in), ...messages(row.__messages_out)],
  };
}

/**
 * After the run's UPDATE (whose fair-share counters are kept at commit, drizzle/0032), one round trip:
 * flightdeck_checkpoint_tail (drizzle/0029_checkpoint_tail_notify.sql) sends the run's NOTIFY,
 * charges the key the turn's real cost instead of the estimate taken at claim (fair share), tries
 * the endpoint's lock when the slot would be handed over, and appends the transaction's audit
 * events unless it took the lock. Answers whether it took the lock; when it did not, the sink is empty.
 */
async function checkpointTail(
  tx: Tx,
  run: RunRow,
  estimate: number,
  actual: number,
  tryLock: boolean,
  sink: AuditInput[],
): Promise<boolean> {
  const [row] = rowsOf<{ locked: boolean | string }>(
    await tx.execute(sql`
      select flightdeck_checkpoint_tail(${run.id}, ${run.fairGroup}, ${estimate}::float8, ${actual}::float8,
        ${run.modelEndpoint}, ${tryLock}, ${auditRowsJson(sink)}::jsonb) as locked`),
  );
  const locked = pgBool(row?.locked);
  if (!locked) sink.length = 0;
  return locked;
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

/** Finishes the turn row; answers its messages as stored (messages_in then messages_out). */
async function finishTurn(tx: Tx, turnId: string, values: Partial<typeof turns.$inferInsert>): Promise<unknown[]> {
  const [row] = await tx
    .update(turns)
    .set({ ...values, finishedAt: sql`clock_timestamp()` })
    .where(eq(turns.id, turnId))
    .returning({ messagesIn: turns.messagesIn, messagesOut: turns.messagesOut });
  return row ? [...row.messagesIn, ...(row.messagesOut ?? [])] : [];
}
