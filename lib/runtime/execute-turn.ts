import "server-only";
import type { Span } from "@opentelemetry/api";
import type { Db } from "@/db/client";
import { contextFromTraceparent, inSpan, markError } from "@/lib/telemetry";
import { checkpointTurn, type AbortKind, type SlotHandoff, type TurnEnd } from "./checkpoint";
import type { ClaimedTurn } from "./claim";
import type { HistoryCache } from "./history-cache";
import { loadHistory, renewLease } from "./lease";
import { errorMessage, type Logger } from "./log";
import { isTransientDbError, withTransientRetry } from "./transient";
import type { TurnContext, TurnExecutor } from "./turn-executor";

export interface InflightTurn {
  abort(why: AbortKind | "lease-lost"): void;
}

interface ExecuteTurnParams {
  db: Db;
  executor: TurnExecutor;
  workerId: string;
  leaseMs: number;
  claim: ClaimedTurn;
  log: Logger;
  /** Turns in flight by run id, so a hard-cancel notification can reach this one. */
  inflight: Map<string, InflightTurn>;
  /** The worker's history cache: a turn then reads only the turns it has not seen. */
  history?: HistoryCache;
  /** Passes the model slot to the next turn in the checkpoint's transaction (the worker's). */
  handoff?: SlotHandoff;
}

// setTimeout fires at once for delays beyond 2^31-1 ms.
const MAX_TIMER_MS = 2_147_483_647;

/** The executor's view of a claimed turn; history is filled in once it has been loaded. */
export function turnContextFor(claim: ClaimedTurn, signal: AbortSignal, deadline: Date): TurnContext {
  return {
    runId: claim.run.id,
    jobId: claim.run.jobId,
    jobVersion: claim.run.jobVersion,
    turnIndex: claim.turnIndex,
    attempt: claim.attempt,
    input: claim.run.input,
    history: [],
    modelEndpoint: claim.run.modelEndpoint,
    signal,
    leaseToken: claim.leaseToken,
    deadline,
    governance: claim.run.governance,
  };
}

/**
 * One claimed turn: heartbeat the lease (fenced), enforce the wall-clock deadline, call
 * the executor with the history rebuilt from the checkpoint, then checkpoint the result.
 * Losing the lease aborts the turn and writes nothing.
 */
export async function executeTurn(params: ExecuteTurnParams): Promise<void> {
  const { claim } = params;
  // The turn's span is a child of the run's (traceparent stored at creation): one trace per run across workers.
  await inSpan(
    `turn ${claim.run.jobId}`,
    {
      parent: contextFromTraceparent(claim.run.traceParent),
      attributes: {
        "flightdeck.run.id": claim.run.id,
        "flightdeck.job.id": claim.run.jobId,
        "flightdeck.job.version": claim.run.jobVersion,
        "flightdeck.turn.index": claim.turnIndex,
        "flightdeck.turn.attempt": claim.attempt,
        "flightdeck.worker.id": params.workerId,
        "flightdeck.model.endpoint": claim.run.modelEndpoint,
      },
    },
    (span) => runTurn(params, span),
  );
}

/** What the turn's span says about how it ended. */
function annotateTurn(span: Span, end: TurnEnd, aborted: AbortKind | "lease-lost" | null): void {
  if (aborted === "lease-lost") return markError(span, "lease_lost");
  span.setAttribute("flightdeck.turn.end", end.kind);
  if (end.kind === "error") return markError(span, "error");
  if (end.kind === "aborted") return markError(span, end.why);
  const { outcome, usage } = end.result;
  span.setAttributes({
    "flightdeck.turn.outcome": outcome.kind,
    "gen_ai.usage.input_tokens": usage.inputTokens,
    "gen_ai.usage.output_tokens": usage.outputTokens,
  });
  // The reason only: what is awaited can be an entity named after a customer.
  if (outcome.kind === "wait") span.setAttribute("flightdeck.turn.wait_reason", outcome.reason);
  if (outcome.kind === "fail") markError(span, outcome.reason);
}

async function runTurn(params: ExecuteTurnParams, span: Span): Promise<void> {
  const { db, claim, workerId, leaseMs, log } = params;
  const runId = claim.run.id;
  const controller = new AbortController();
  let aborted: AbortKind | "lease-lost" | null = null;
  const abort = (why: AbortKind | "lease-lost") => {
    if (aborted) return;
    aborted = why;
    controller.abort(new Error(`turn aborted: ${why}`));
  };
  const entry: InflightTurn = { abort };
  params.inflight.set(runId, entry);
  const fields = { workerId, runId, turnIndex: claim.turnIndex, attempt: claim.attempt };

  let lastRenewed = Date.now();
  let renewing = false;
  const heartbeat = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      renewLease(db, runId, claim.leaseToken, leaseMs)
        .then((r) => {
          if (!r.held) return abort("lease-lost");
          lastRenewed = Date.now();
          if (r.abortRequested) abort("hard-cancel");
        })
        .catch((error) => {
          log("warn", "heartbeat failed", { ...fields, error: errorMessage(error) });
          if (Date.now() - lastRenewed > leaseMs) abort("lease-lost");
        })
        .finally(() => (renewing = false));
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );

  const startedAt = claim.run.startedAt ?? new Date();
  const deadline = new Date(startedAt.getTime() + claim.run.budgetWallClockMs);
  const deadlineTimer = setTimeout(
    () => abort("deadline"),
    Math.min(MAX_TIMER_MS, Math.max(0, deadline.getTime() - Date.now())),
  );

  const context = turnContextFor(claim, controller.signal, deadline);
  let end: TurnEnd;
  try {
    if (claim.run.abortRequested) abort("hard-cancel");
    context.history = await withTransientRetry(
      () => (params.history ? params.history.load(db, runId, claim.turnIndex) : loadHistory(db, runId)),
      { deadline, signal: controller.signal },
    );
    controller.signal.throwIfAborted();
    end = { kind: "result", result: await params.executor.execute(context) };
  } catch (error) {
    const why = (aborted as AbortKind | "lease-lost" | null) ?? (isTransientDbError(error) ? "transient" : null);
    const message = errorMessage(error);
    // A database fault is no verdict on the run: it is handed back, never failed.
    end = why && why !== "lease-lost" ? { kind: "aborted", why, message } : { kind: "error", message };
  } finally {
    clearInterval(heartbeat);
    clearTimeout(deadlineTimer);
  }

  annotateTurn(span, end, aborted as AbortKind | "lease-lost" | null);
  try {
    if (aborted === "lease-lost") log("warn", "lease lost: turn discarded", fields);
    else await checkpointOrLog(params, context, end, fields);
  } finally {
    // The checkpoint may have handed the slot to this run's next turn, which is in flight already.
    if (params.inflight.get(runId) === entry) params.inflight.delete(runId);
  }
}

async function checkpointOrLog(
  params: ExecuteTurnParams,
  context: TurnContext,
  end: TurnEnd,
  fields: Record<string, unknown>,
): Promise<void> {
  const { db, claim, workerId, executor, log } = params;
  try {
    const history = params.history;
    const onStored = history
      ? (messages: unknown[]) => history.completed(claim.run.id, claim.turnIndex, messages)
      : undefined;
    // Retried through database faults until the lease would have expired anyway.
    const result = await withTransientRetry(
      () => checkpointTurn(db, { claim, workerId, executor, context, end, onStored, handoff: params.handoff }),
      {
        deadline: new Date(Date.now() + params.leaseMs),
        onRetry: (error, attempt) =>
          log("warn", "checkpoint retried", { ...fields, attempt, error: errorMessage(error) }),
      },
    );
    if (history && end.kind !== "result") history.forget(claim.run.id);
    if (result === "lost") log("warn", "lease lost before checkpoint: turn discarded", fields);
    else log("debug", "turn checkpointed", { ...fields, end: end.kind });
  } catch (error) {
    log("error", "checkpoint failed", { ...fields, error: errorMessage(error) });
    // The database stayed unreachable: leave the lease to expire; another attempt re-runs the turn.
    if (end.kind !== "result" || isTransientDbError(error)) return;
    // The turn's own writes (onCheckpoint) were rejected: record it as failed instead.
    try {
      await checkpointTurn(db, {
        claim,
        workerId,
        executor,
        context,
        end: { kind: "error", message: `checkpoint failed: ${errorMessage(error)}` },
      });
    } catch (again) {
      // Leave it: the lease expires and another worker re-runs the turn.
      log("error", "recording the failed checkpoint failed", { ...fields, error: errorMessage(again) });
    }
  }
}
