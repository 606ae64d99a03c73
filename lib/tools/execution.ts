import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import type { Redactor } from "@/lib/redaction";
import { recordCall, resultOfExecution, settleCall } from "./call-audit";
import { assertLease, findToolCall, markStarted, recordFromRow, type ToolCallRow } from "./call-store";
import type { CallAuditExtra, CallBase, CallIdentity, ExecutionResult, ToolCallRecord } from "./call-types";
import { executeDatabaseTool, executePlainTool, type ExecutionParams } from "./execute";
import type { DatabaseToolDefinition, ToolDefinition } from "./types";

/** A call every stage let through, ready to execute. */
export interface PreparedCall {
  tool: ToolDefinition;
  /** Validated input, as execute() takes it. */
  input: unknown;
  id: CallIdentity;
  base: CallBase;
  approvalId: string | undefined;
  redactor: Redactor;
  params: ExecutionParams;
}

/** How one kind of tool claims its key, executes and settles (see executeCall). */
interface ExecutionSteps {
  /** Claims the key before the side effect; false when another attempt holds it. */
  claim(): Promise<boolean>;
  /** The row of the attempt that holds the key (replayed). */
  storedRow(): Promise<ToolCallRow | undefined>;
  execute(): Promise<ExecutionResult>;
  /** Stores the final state and its audit events, fenced by the lease. */
  settle(record: ToolCallRecord, extra: CallAuditExtra | undefined): Promise<void>;
}

/**
 * The execution tail, one for both kinds of tool: claim the key → execute → cap, redact and
 * classify → settle. What differs is where each step runs:
 * - a plain tool claims in a short transaction, executes outside any transaction (it may
 *   call the outside world for a long time), and settles in a second transaction;
 * - a database tool (`writes: "database"`) does all of it in ONE transaction, its writes in
 *   a savepoint, so its rows, the result row and `tool.called` commit together or not at
 *   all: a committed write is never repeated and never lacks its audit event. A failed
 *   execution rolls back to the savepoint, so its partial writes go and the failure is
 *   recorded.
 */
export async function executeCall(call: PreparedCall): Promise<ToolCallRecord> {
  const { scope } = call.params;
  const tool = call.tool;
  if (tool.writes === "database") {
    return scope.db.transaction((tx) =>
      claimExecuteSettle(call, {
        // Also fences a concurrent attempt of the same call: its claim waits on this row, then replays.
        claim: () => markStarted(tx, call.id, call.base.input, call.approvalId ?? null),
        storedRow: () => findToolCall(tx, call.id.key),
        execute: () => executeInSavepoint(tx, tool, call),
        settle: async (record, extra) => {
          // Checked after execute() so the heartbeat can renew the lease while the tool runs;
          // the share lock then keeps any other worker from taking the run until commit.
          await assertLease(tx, scope.runId, scope.leaseToken);
          await recordCall(tx, scope, call.id, record, extra);
        },
      }),
    );
  }
  return claimExecuteSettle(call, {
    claim: () =>
      scope.db.transaction(async (tx) => {
        await assertLease(tx, scope.runId, scope.leaseToken);
        return markStarted(tx, call.id, call.base.input, call.approvalId ?? null);
      }),
    storedRow: () => findToolCall(scope.db, call.id.key),
    execute: () => executePlainTool(tool, call.input, call.params),
    settle: (record, extra) => settleCall(scope, call.id, record, extra),
  });
}

async function claimExecuteSettle(call: PreparedCall, steps: ExecutionSteps): Promise<ToolCallRecord> {
  if (!(await steps.claim())) {
    const row = await steps.storedRow();
    if (row) return recordFromRow(row, true);
  }
  const started = performance.now();
  const execution = await steps.execute();
  const durationMs = Math.round(performance.now() - started);
  const { result, extra } = resultOfExecution(execution, {
    durationMs,
    approvalId: call.approvalId,
    maxOutputBytes: call.params.maxOutputBytes,
    redactor: call.redactor,
  });
  const record: ToolCallRecord = { ...call.base, ...result, replayed: false };
  await steps.settle(record, extra);
  return record;
}

class ToolRolledBack extends Error {
  constructor(readonly reason: unknown) {
    super("tool call rolled back");
  }
}

/**
 * The abort signal cannot interrupt a query, so statement_timeout cuts each of the tool's
 * statements at the call's timeout (a lock wait included). It is set for the savepoint
 * only: the audit append after it may queue on the chain lock for longer.
 */
async function executeInSavepoint(tx: Tx, tool: DatabaseToolDefinition, call: PreparedCall): Promise<ExecutionResult> {
  const previous = await statementTimeout(tx);
  let execution: ExecutionResult;
  try {
    execution = await tx.transaction(async (savepoint) => {
      await setStatementTimeout(savepoint, String(call.params.timeoutMs));
      const outcome = await executeDatabaseTool(tool, call.input, call.params, savepoint);
      if (!outcome.ok) throw new ToolRolledBack(outcome.error);
      return outcome;
    });
  } catch (error) {
    // Rolling back to the savepoint also undid the statement_timeout.
    return { ok: false, error: error instanceof ToolRolledBack ? error.reason : error };
  }
  await setStatementTimeout(tx, previous);
  return execution;
}

async function statementTimeout(tx: Tx): Promise<string> {
  const [row] = rowsOf<{ value: string }>(await tx.execute(sql`select current_setting('statement_timeout') as value`));
  return row?.value ?? "0";
}

async function setStatementTimeout(tx: Tx, value: string): Promise<void> {
  await tx.execute(sql`select set_config('statement_timeout', ${value}, true)`);
}
