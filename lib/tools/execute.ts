import "server-only";
import type { Tx } from "@/db/client";
import { openWorkspace, type Workspace } from "@/lib/workspace";
import type { ExecutionResult, InvokeScope } from "./call-types";
import { ToolTimeoutError } from "./errors";
import type { DatabaseToolContext, DatabaseToolDefinition, PlainToolDefinition, ToolContext } from "./types";

/** What one execution of a tool's execute() needs besides its input. */
export interface ExecutionParams {
  scope: InvokeScope;
  turnIndex: number;
  callIndex: number;
  callKey: string;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** The run's signal plus the call's timeout; `clear` stops the timer. */
function callSignal(params: ExecutionParams): { signal: AbortSignal; clear(): void } {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new ToolTimeoutError(params.timeoutMs)), params.timeoutMs);
  return { signal: AbortSignal.any([params.scope.signal, timeout.signal]), clear: () => clearTimeout(timer) };
}

function sharedContext(params: ExecutionParams, signal: AbortSignal): Omit<ToolContext, "db"> {
  let workspace: Promise<Workspace> | undefined;
  return {
    runId: params.scope.runId,
    jobId: params.scope.jobId,
    turnIndex: params.turnIndex,
    callIndex: params.callIndex,
    callKey: params.callKey,
    signal,
    workspace: () => (workspace ??= params.scope.workspace()),
    httpAllowlist: params.scope.httpAllowlist,
    maxOutputBytes: params.maxOutputBytes,
  };
}

/**
 * Executes the tool under the call's timeout and the run's signal. The race also ends calls
 * that ignore their signal; such a call may still finish in the background, which is why
 * the key is marked started before it runs.
 */
export async function executePlainTool(
  tool: PlainToolDefinition,
  input: unknown,
  params: ExecutionParams,
): Promise<ExecutionResult> {
  const { signal, clear } = callSignal(params);
  const ctx: ToolContext = { ...sharedContext(params, signal), db: params.scope.db };
  let onAbort: (() => void) | undefined;
  try {
    signal.throwIfAborted();
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    const output = await Promise.race([tool.execute(input, ctx), aborted]);
    return { ok: true, output };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clear();
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Executes a database tool on `tx` and waits for it to settle, never racing it:
 * its queries are queued on the transaction's connection, and one issued after the
 * transaction ended would run outside it. A call that finishes after the signal aborted
 * (timeout, cancel, lost lease) counts as failed with the abort's reason, so the caller
 * rolls its writes back rather than keep work the model is told did not happen.
 */
export async function executeDatabaseTool(
  tool: DatabaseToolDefinition,
  input: unknown,
  params: ExecutionParams,
  tx: Tx,
): Promise<ExecutionResult> {
  const { signal, clear } = callSignal(params);
  const ctx: DatabaseToolContext = {
    ...sharedContext(params, signal),
    tx,
    // Workspace writes join the call's transaction: fenced by the lease, recorded with the turn.
    workspace: () =>
      openWorkspace(params.scope.runId, { db: tx, turnIndex: params.turnIndex, leaseToken: params.scope.leaseToken }),
  };
  try {
    signal.throwIfAborted();
    const output = await tool.execute(input, ctx);
    signal.throwIfAborted();
    return { ok: true, output };
  } catch (error) {
    if (signal.aborted) return { ok: false, error: signal.reason };
    return { ok: false, error: cutByStatementTimeout(error) ? new ToolTimeoutError(params.timeoutMs) : error };
  } finally {
    clear();
  }
}

/** SQLSTATE 57014 (query_canceled): the statement_timeout set for the call may fire before its timer does. */
function cutByStatementTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === "57014") return true;
  }
  return false;
}
