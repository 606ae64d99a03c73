import "server-only";
import type { Workspace } from "@/lib/workspace";
import type { InvokeScope } from "./invoke";
import type { ToolContext, ToolDefinition } from "./types";

export class ToolTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`tool timed out after ${timeoutMs} ms`);
    this.name = "ToolTimeoutError";
  }
}

interface RunParams {
  scope: InvokeScope;
  turnIndex: number;
  callIndex: number;
  callKey: string;
  timeoutMs: number;
  maxOutputBytes: number;
}

/**
 * Runs execute() under the call's timeout and the run's signal. The race also ends calls
 * that ignore their signal; such a call may still finish in the background, which is why
 * the key is marked started before it runs.
 */
export async function runTool(
  tool: ToolDefinition,
  input: unknown,
  params: RunParams,
): Promise<{ ok: true; output: unknown } | { ok: false; error: unknown }> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new ToolTimeoutError(params.timeoutMs)), params.timeoutMs);
  const signal = AbortSignal.any([params.scope.signal, timeout.signal]);
  let workspace: Promise<Workspace> | undefined;
  const ctx: ToolContext = {
    runId: params.scope.runId,
    jobId: params.scope.jobId,
    turnIndex: params.turnIndex,
    callIndex: params.callIndex,
    callKey: params.callKey,
    db: params.scope.db,
    ...(params.scope.leaseToken ? { leaseToken: params.scope.leaseToken } : {}),
    signal,
    workspace: () => (workspace ??= params.scope.workspace()),
    httpAllowlist: params.scope.httpAllowlist,
    maxOutputBytes: params.maxOutputBytes,
  };
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
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
