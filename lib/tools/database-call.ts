import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import type { Redactor } from "@/lib/redaction";
import { recordFromRow, type ToolCallRecord } from "./call-result";
import { recordCall, resultOfRun, type CallBase } from "./record-call";
import { assertLease, findToolCall, markStarted, type CallIdentity } from "./records";
import { runDatabaseTool, type RunParams, type RunResult } from "./run-tool";
import type { DatabaseToolDefinition } from "./types";

export interface DatabaseCall {
  tool: DatabaseToolDefinition;
  /** Validated input, as execute() takes it. */
  input: unknown;
  id: CallIdentity;
  base: CallBase;
  approvalId: string | undefined;
  redactor: Redactor;
  params: RunParams;
}

/**
 * A database tool's call as ONE transaction: claim the key → the tool's writes (in a
 * savepoint) → lease check → result row → `tool.called`. A crash leaves all of it or none
 * of it, so a re-executed turn either replays the stored result or runs the call afresh:
 * a committed write is never repeated and never lacks its audit event. A failed execution
 * rolls back to the savepoint, so its partial writes go and the failure is recorded.
 */
export async function invokeDatabaseTool(call: DatabaseCall): Promise<ToolCallRecord> {
  const { scope } = call.params;
  return scope.db.transaction(async (tx) => {
    // Also fences a concurrent attempt of the same call: its claim waits on this row, then replays.
    if (!(await markStarted(tx, call.id, call.base.input, call.approvalId ?? null))) {
      const row = await findToolCall(tx, call.id.key);
      if (row) return recordFromRow(row, true);
    }
    const started = performance.now();
    const run = await executeInSavepoint(tx, call);
    const durationMs = Math.round(performance.now() - started);
    const { result, extra } = resultOfRun(run, {
      durationMs,
      approvalId: call.approvalId,
      maxOutputBytes: call.params.maxOutputBytes,
      redactor: call.redactor,
    });
    const record: ToolCallRecord = { ...call.base, ...result, replayed: false };
    // Checked after execute() so the heartbeat can renew the lease while the tool runs;
    // the share lock then keeps any other worker from taking the run until commit.
    await assertLease(tx, scope.runId, scope.leaseToken);
    await recordCall(tx, scope, call.id, record, extra);
    return record;
  });
}

class ToolRolledBack extends Error {
  constructor(readonly reason: unknown) {
    super("tool call rolled back");
  }
}

/**
 * The abort signal cannot interrupt a query, so statement_timeout cuts each of the tool's
 * statements at the call's timeout (a lock wait included). It is set for the savepoint
 * only, not for the result row and audit insert that follow it.
 */
async function executeInSavepoint(tx: Tx, call: DatabaseCall): Promise<RunResult> {
  const previous = await statementTimeout(tx);
  let run: RunResult;
  try {
    run = await tx.transaction(async (savepoint) => {
      await setStatementTimeout(savepoint, String(call.params.timeoutMs));
      const outcome = await runDatabaseTool(call.tool, call.input, call.params, savepoint);
      if (!outcome.ok) throw new ToolRolledBack(outcome.error);
      return outcome;
    });
  } catch (error) {
    // Rolling back to the savepoint also undid the statement_timeout.
    return { ok: false, error: error instanceof ToolRolledBack ? error.reason : error };
  }
  await setStatementTimeout(tx, previous);
  return run;
}

async function statementTimeout(tx: Tx): Promise<string> {
  const [row] = rowsOf<{ value: string }>(await tx.execute(sql`select current_setting('statement_timeout') as value`));
  return row?.value ?? "0";
}

async function setStatementTimeout(tx: Tx, value: string): Promise<void> {
  await tx.execute(sql`select set_config('statement_timeout', ${value}, true)`);
}
