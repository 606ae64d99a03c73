import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { runs } from "./runs";

export const toolCallStatuses = [
  /** Execution began; a row left here means the process died mid-call. */
  "started",
  "succeeded",
  "failed",
  /** Refused by policy: not allowlisted, invalid input, workspace escape, host not allowed, rejected approval. */
  "refused",
  "awaiting_approval",
  /** wait_for_signal parked the run; resolved when the signal arrives or the wait times out. */
  "awaiting_signal",
] as const;
export type ToolCallStatus = (typeof toolCallStatuses)[number];

/**
 * One tool call, keyed by `${runId}:${turnIndex}:${callIndex}`. The key is the idempotency
 * key: a turn re-executed after a crash finds its calls here and replays the stored result
 * instead of repeating a side effect. Input and output are stored redacted.
 */
export const toolCalls = pgTable(
  "tool_calls",
  {
    key: text("key").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    turnIndex: integer("turn_index").notNull(),
    callIndex: integer("call_index").notNull(),
    toolCallId: text("tool_call_id").notNull(),
    tool: text("tool").notNull(),
    /** SHA-256 of the canonical JSON of the call's input as the model gave it: with run, turn, call index and tool, the call's identity. */
    inputHash: text("input_hash"),
    status: text("status", { enum: toolCallStatuses }).notNull(),
    input: jsonb("input").$type<unknown>(),
    output: jsonb("output").$type<unknown>(),
    error: text("error"),
    approvalId: text("approval_id"),
    durationMs: integer("duration_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("tool_calls_run_idx").on(t.runId, t.turnIndex, t.callIndex),
    // GET /api/metrics tails finished calls since its cursor.
    index("tool_calls_finished_idx")
      .on(t.finishedAt, t.key)
      .where(sql`finished_at is not null`),
  ],
);
