import "server-only";
import { reacquireEndpointSlot, releaseEndpointSlot } from "@/lib/resources/endpoint-slot";
import type { ModelMessage } from "ai";
import { getDb, type Db } from "@/db/client";
import { runLabel, type JobDefinition } from "@/lib/jobs";
import { callModel, ModelCallError, resolveModel, type RetryPolicy } from "@/lib/models";
import type { TurnContext, TurnExecutor, TurnOutcome, TurnResult } from "@/lib/runtime/turn-executor";
import {
  describeTools,
  invokeTool,
  isFinished,
  registerBuiltinTools,
  toolRedactor,
  type InvokeScope,
  type ToolCallRecord,
} from "@/lib/tools";
import { openWorkspace, type Workspace } from "@/lib/workspace";
import { dropJournal, readJournal, writeJournal } from "./journal";
import {
  assistantMessage,
  finalOutput,
  historyMessages,
  runInputMessage,
  toolMessage,
  unresolvedCalls,
} from "./messages";
import { acquireDeclaredLocks } from "./declared-locks";
import { loadRunPolicy } from "./run-scope";
import { withTransientRetry } from "@/lib/runtime/transient";

export interface AgentExecutorOptions {
  db?: () => Promise<Db>;
  /** Defaults to lib/jobs getJobDefinition. */
  getJob?: (id: string) => JobDefinition | undefined;
  /** Overrides the endpoint's retry settings (tests use short delays). */
  retry?: Partial<RetryPolicy>;
  workspace?: (runId: string) => Promise<Workspace>;
  toolTimeoutMs?: number;
  maxOutputBytes?: number;
}

/**
 * The real TurnExecutor: one model call through the AI SDK, then each tool call the model
 * asked for through invokeTool, in order. Calls parked for approval stay unresolved in the
 * history and are resumed (under their original idempotency keys) at the start of the
 * turn after the decision.
 */
export function createAgentExecutor(options: AgentExecutorOptions = {}): TurnExecutor {
  registerBuiltinTools();
  return {
    async execute(context: TurnContext): Promise<TurnResult> {
      const db = await (options.db ?? getDb)();
      const redactor = toolRedactor();
      // A transient database fault (killed connection, deadlock, restart) is retried within the turn's deadline.
      const retry = { deadline: context.deadline, signal: context.signal };
      const policy = await withTransientRetry(() => loadRunPolicy(db, context, options.getJob), retry);
      if ("error" in policy) return failed("unknown", "job_missing", policy.error);
      let resolved;
      try {
        resolved = resolveModel(context.modelEndpoint, context.jobId);
      } catch (error) {
        return failed("unconfigured", "model_config", error instanceof Error ? error.message : String(error));
      }
      const { def } = policy;
      const scope: InvokeScope = {
        runId: context.runId,
        jobId: context.jobId,
        jobVersion: context.jobVersion,
        governance: policy.governance,
        allowedTools: def.agent.tools,
        httpAllowlist: def.agent.httpAllowlist ?? [],
        humanOversight: policy.humanOversight,
        model: resolved.label,
        db,
        signal: context.signal,
        leaseToken: context.leaseToken,
        workspace: () => (options.workspace ?? openWorkspace)(context.runId),
        ...(options.toolTimeoutMs ? { toolTimeoutMs: options.toolTimeoutMs } : {}),
        ...(options.maxOutputBytes ? { maxOutputBytes: options.maxOutputBytes } : {}),
      };

      const history = historyMessages(context.history);
      // Declared locks are taken before the first model call; a turn that only waited for them makes no model call (no tokens) but counts as a turn.
      if (history.length === 0) {
        const locked = await acquireDeclaredLocks(db, {
          runId: context.runId,
          jobId: context.jobId,
          input: context.input,
          leaseToken: context.leaseToken,
        });
        if (locked)
          return {
            model: resolved.label,
            messagesIn: [],
            messagesOut: [],
            toolCalls: [],
            usage: { inputTokens: 0, outputTokens: 0 },
            outcome: locked,
          };
      }
      const messagesIn: ModelMessage[] = history.length === 0 ? [runInputMessage(context.input)] : [];
      const messagesOut: ModelMessage[] = [];
      const records: ToolCallRecord[] = [];
      // Measured only around a real provider call: an answer replayed from the journal took no model time.
      let modelMs: number | undefined;
      const result = (outcome: TurnOutcome, usage = { inputTokens: 0, outputTokens: 0 }): TurnResult => ({
        model: resolved.label,
        messagesIn: redactor.redact(messagesIn),
        messagesOut: redactor.redact(messagesOut),
        toolCalls: records,
        usage,
        outcome,
        ...(modelMs === undefined ? {} : { modelMs }),
      });

      // Calls left open by an earlier turn (approval, quota) go first, under their own keys.
      const pending = unresolvedCalls(history);
      if (pending.length > 0) {
        const stop = await runCalls(scope, pending, records, context.signal);
        const done = records.filter(isFinished);
        if (done.length > 0) messagesOut.push(toolMessage(done));
        if (stop) return result(stop);
      }

      // The turn journal: an answer stored by an earlier attempt of this turn is used as is,
      // so a turn resumed after a crash runs the same tool calls instead of asking again.
      let answer = await withTransientRetry(() => readJournal(db, context.runId, context.turnIndex), retry);
      if (!answer) {
        const modelStarted = performance.now();
        try {
          const fresh = await callModel({
            model: resolved.model,
            endpoint: context.modelEndpoint,
            system: def.agent.instructions,
            messages: [...history, ...messagesIn, ...messagesOut],
            tools: describeTools(def.agent.tools),
            signal: context.signal,
            deadline: context.deadline,
            // Provider backoff gives the endpoint slot back for the sleep (lib/resources/endpoint-slot.ts).
            onBackoff: async () => {
              await releaseEndpointSlot(scope.db, context.runId, context.leaseToken);
              return () =>
                reacquireEndpointSlot(
                  scope.db,
                  context.runId,
                  context.leaseToken,
                  context.modelEndpoint,
                  context.signal,
                );
            },
            retry: {
              baseMs: options.retry?.baseMs ?? resolved.endpoint.retryBaseMs,
              maxMs: options.retry?.maxMs ?? resolved.endpoint.retryMaxMs,
              ...(options.retry?.random ? { random: options.retry.random } : {}),
            },
          });
          modelMs = Math.round(performance.now() - modelStarted);
          // An answer without tool calls has no effect to repeat exactly: a turn resumed before its
          // checkpoint asks again. Every final answer is spared the journal's transaction (a lease
          // check and an insert) and the checkpoint's delete.
          if (fresh.toolCalls.length === 0) answer = fresh;
          else
            answer = await withTransientRetry(
              () =>
                writeJournal(db, {
                  runId: context.runId,
                  turnIndex: context.turnIndex,
                  attempt: context.attempt,
                  leaseToken: context.leaseToken,
                  answer: fresh,
                }),
              retry,
            );
        } catch (error) {
          if (error instanceof ModelCallError && error.failure !== "aborted") {
            modelMs = Math.round(performance.now() - modelStarted);
            return result({
              kind: "fail",
              reason: error.failure === "deadline" ? "model_deadline" : "model_error",
              message: redactor.redactString(error.message),
            });
          }
          throw error;
        }
      }
      const usage = answer.usage;
      messagesOut.push(assistantMessage(answer.text, answer.toolCalls, context.turnIndex));
      if (answer.toolCalls.length === 0) {
        const output = redactor.redact(finalOutput(answer.text));
        const outcome = runLabel(def, "outcome", output);
        return result({ kind: "complete", output, ...(outcome === null ? {} : { outcome }) }, usage);
      }

      const fresh: ToolCallRecord[] = [];
      const stop = await runCalls(
        scope,
        answer.toolCalls.map((c, callIndex) => ({ ...c, turnIndex: context.turnIndex, callIndex })),
        fresh,
        context.signal,
      );
      records.push(...fresh);
      const done = fresh.filter(isFinished);
      if (done.length > 0) messagesOut.push(toolMessage(done));
      return result(stop ?? { kind: "continue" }, usage);
    },
    async onCheckpoint(tx, context, result) {
      // Only an answer with tool calls is journaled, and a turn that ran one records at least its first call:
      // a turn without tool calls has no entry to delete (a retried checkpoint sees the same result).
      if (result.toolCalls.length === 0) return;
      await dropJournal(tx, context.runId, context.turnIndex);
    },
  };
}

type CallToRun = {
  toolCallId: string;
  toolName: string;
  input: unknown;
  parseError?: string;
  turnIndex: number;
  callIndex: number;
};

/** Runs calls in order; stops at the first that must wait, leaving it and later ones open. */
async function runCalls(
  scope: InvokeScope,
  calls: readonly CallToRun[],
  out: ToolCallRecord[],
  signal: AbortSignal,
): Promise<TurnOutcome | undefined> {
  for (const call of calls) {
    signal.throwIfAborted();
    // Safe to repeat: a call's identity makes a second attempt a replay of what committed.
    const record = await withTransientRetry(() => invokeTool(scope, call), { signal });
    out.push(record);
    if (record.outcome === "awaiting_approval") {
      return { kind: "wait", reason: "approval", waitingFor: record.approvalId ?? record.key };
    }
    if (record.outcome === "deferred" && record.waitingFor?.startsWith("lock:")) {
      return { kind: "wait", reason: "lock", waitingFor: record.waitingFor.slice("lock:".length) };
    }
    if (record.outcome === "awaiting_signal") {
      return { kind: "wait", reason: "signal", waitingFor: record.waitingFor ?? record.tool };
    }
    if (record.outcome === "deferred") {
      return { kind: "wait", reason: "resource", waitingFor: record.waitingFor ?? record.tool };
    }
  }
  return undefined;
}

function failed(model: string, reason: string, message: string): TurnResult {
  return {
    model,
    messagesIn: [],
    messagesOut: [],
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    outcome: { kind: "fail", reason, message },
  };
}
