import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "@/db/client";
import { toolCalls, type ToolCallStatus } from "@/db/schema";
import type { CallIdentity, InvokeOutcome, ToolCallRecord } from "./call-types";
import { ToolLeaseLostError } from "./errors";
import { runLeaseHeld } from "@/lib/workspace";

/** Storage of tool calls: the tool_calls rows (one per call key) and the lease fence. */
export type ToolCallRow = typeof toolCalls.$inferSelect;

/** Every write on behalf of a turn is fenced by the turn's lease token (when it has one). */
export async function assertLease(tx: Tx, runId: string, leaseToken: string | undefined): Promise<void> {
  if (!(await runLeaseHeld(tx, runId, leaseToken))) throw new ToolLeaseLostError(runId);
}

export async function findToolCall(db: Queryable, key: string): Promise<ToolCallRow | undefined> {
  const [row] = await db.select().from(toolCalls).where(eq(toolCalls.key, key));
  return row;
}

/**
 * Claims the key before a side effect runs. Returns false when another attempt already
 * holds it in a state that must not be overwritten (the caller then replays the row).
 */
export async function markStarted(
  tx: Tx,
  id: CallIdentity,
  input: unknown,
  approvalId: string | null,
): Promise<boolean> {
  const rows = await tx
    .insert(toolCalls)
    .values({ ...id, status: "started", input, approvalId })
    .onConflictDoUpdate({
      target: toolCalls.key,
      set: { status: "started", input, approvalId, createdAt: sql`now()` },
      // Only a call parked for approval (or one interrupted without side effects) may restart.
      setWhere: inArray(toolCalls.status, ["awaiting_approval", "started"]),
    })
    .returning({ key: toolCalls.key });
  return rows.length > 0;
}

export interface CallOutcome {
  status: ToolCallStatus;
  input: unknown;
  output: unknown;
  error: string | null;
  approvalId: string | null;
  durationMs: number | null;
}

/** Writes the final (or parked) state of a call; upserts so refusals need no prior row. */
export async function saveOutcome(tx: Tx, id: CallIdentity, outcome: CallOutcome): Promise<void> {
  // The wall clock, not the transaction's start: a database tool's transaction can outlast its call by seconds,
  // and readers that tail finished rows (lib/metrics) count on the stamp trailing the commit only briefly.
  const finished =
    outcome.status === "awaiting_approval" || outcome.status === "awaiting_signal" ? null : sql`clock_timestamp()`;
  await tx
    .insert(toolCalls)
    .values({ ...id, ...outcome, finishedAt: finished })
    .onConflictDoUpdate({
      target: toolCalls.key,
      set: { ...outcome, finishedAt: finished },
    });
}

export async function listToolCalls(db: Db | Queryable, runId: string): Promise<ToolCallRow[]> {
  return db
    .select()
    .from(toolCalls)
    .where(eq(toolCalls.runId, runId))
    .orderBy(toolCalls.turnIndex, toolCalls.callIndex);
}

/** A stored row as the turn records it (a row still "started" reads as failed). */
export function recordFromRow(row: ToolCallRow, replayed: boolean): ToolCallRecord {
  const outcome: InvokeOutcome = row.status === "started" ? "failed" : row.status;
  return {
    key: row.key,
    toolCallId: row.toolCallId,
    tool: row.tool,
    turnIndex: row.turnIndex,
    callIndex: row.callIndex,
    outcome,
    input: row.input,
    ...(row.output !== null ? { output: row.output } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.approvalId !== null ? { approvalId: row.approvalId } : {}),
    durationMs: row.durationMs ?? 0,
    replayed,
  };
}
