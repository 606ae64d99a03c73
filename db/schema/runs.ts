import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Governance } from "@/lib/governance";
import { jobs } from "./jobs";

export const runStates = [
  "queued",
  "running",
  "waiting",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
] as const;
export type RunState = (typeof runStates)[number];
export const waitReasons = ["approval", "resource", "signal", "lock"] as const;
export type WaitReason = (typeof waitReasons)[number];
export const triggerKinds = ["schedule", "signal", "manual", "retry"] as const;
export type TriggerKind = (typeof triggerKinds)[number];

/**
 * The text "find this run" reads (lib/board/search.ts): title, job id, fair-share key and the
 * input's customer, in one expression so one trigram index covers all four. The index and the
 * queries must spell it the same way for the planner to use the index; `table` qualifies the
 * columns in queries that join another table with a `title`. Plain SQL, not bound parameters:
 * a parameter in the expression would not match the index's.
 */
export function runSearchText(table = ""): string {
  const c = (name: string) => (table ? `"${table}"."${name}"` : `"${name}"`);
  return `(coalesce(${c("title")}, '') || ' ' || ${c("job_id")} || ' ' || ${c("fair_group")} || ' ' || coalesce(${c("input")} ->> 'customer', ''))`;
}

/**
 * One execution of one job version. A run is claimable for its next turn when it is
 * queued or running and holds no live lease; the lease (token + expiry) fences every
 * write a worker makes for the turn in flight.
 */
export const runs = pgTable(
  "runs",
  {
    id: text("id").primaryKey(),
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id),
    jobVersion: text("job_version").notNull(),
    state: text("state", { enum: runStates }).notNull(),
    /** Why the run is in its state: the wait reason, budget, error class, operator… */
    stateReason: text("state_reason"),
    /** For waiting runs: what exactly is awaited (approval id, resource name, signal). */
    waitingFor: text("waiting_for"),
    /** The job's governance as it was when the run was created. */
    governance: jsonb("governance").$type<Governance>().notNull(),
    triggerKind: text("trigger_kind", { enum: triggerKinds }).notNull(),
    triggerRef: text("trigger_ref"),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    input: jsonb("input").$type<unknown>().notNull(),
    /** A person's name for the run, from its input by the job's `run.title` (null: the job title stands in). */
    title: text("title"),
    /** A succeeded run's outcome mark from its output by the job's `run.outcome` ("Reply sent"). */
    outcome: text("outcome"),
    output: jsonb("output").$type<unknown>(),
    error: text("error"),
    modelEndpoint: text("model_endpoint").notNull(),
    budgetTokens: integer("budget_tokens").notNull(),
    budgetTurns: integer("budget_turns").notNull(),
    budgetWallClockMs: integer("budget_wall_clock_ms").notNull(),
    tokensUsed: integer("tokens_used").notNull().default(0),
    turnsUsed: integer("turns_used").notNull().default(0),
    /** The fair-share key (lib/scheduling): derived from the input per the job's scheduling.fairShareKey, else its group. */
    fairGroup: text("fair_group").notNull(),
    weight: integer("weight").notNull().default(1),
    priority: integer("priority").notNull().default(0),
    deadline: timestamp("deadline", { withTimezone: true }),
    /** When the run last became runnable (created, requeued, or its previous turn ended): ageing and wait times. */
    runnableSince: timestamp("runnable_since", { withTimezone: true }),
    attempt: integer("attempt").notNull().default(1),
    leaseToken: text("lease_token"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    /** The lease holder is sleeping out a provider backoff: its endpoint slot is free for others meanwhile. */
    slotReleased: boolean("slot_released").notNull().default(false),
    pauseRequested: boolean("pause_requested").notNull().default(false),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** Hard cancel: the worker aborts the turn in flight (NOTIFY wakes it; its heartbeat also reads this). */
    abortRequested: boolean("abort_requested").notNull().default(false),
    retryOf: text("retry_of"),
    /**
     * W3C traceparent of the span that created the run (null when tracing was off then):
     * every turn's span is its child, whichever worker runs it, so a run is one trace.
     */
    traceParent: text("trace_parent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the run entered its current state (updated_at also moves at every turn). */
    stateSince: timestamp("state_since", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("runs_state_idx").on(t.state, t.createdAt),
    index("runs_job_idx").on(t.jobId, t.createdAt),
    index("runs_created_idx").on(t.createdAt, t.id),
    // The claim (lib/runtime/claim-order.ts): within a key and class, earliest deadline then oldest.
    index("runs_key_claim_idx")
      .on(t.fairGroup, t.priority, t.deadline.asc().nullsLast(), t.createdAt.asc())
      .where(sql`state in ('queued', 'running') and lease_token is null`),
    // Ageing: the oldest runnable run of a class.
    index("runs_ageing_idx")
      .on(t.priority, t.runnableSince)
      .where(sql`state in ('queued', 'running') and lease_token is null`),
    // Expired leases (a dead worker's runs) are recovered first.
    index("runs_lease_expiry_idx")
      .on(t.leaseExpiresAt)
      .where(sql`lease_token is not null`),
    // Live leases per endpoint are counted at every claim.
    index("runs_endpoint_lease_idx")
      .on(t.modelEndpoint, t.leaseExpiresAt)
      .where(sql`lease_token is not null`),
    // A run is retried at most once: a second retry of the same run is refused (409).
    uniqueIndex("runs_retry_of_idx").on(t.retryOf),
    // The cockpit's change feed asks for runs updated since a cursor every second.
    index("runs_updated_idx").on(t.updatedAt),
    // GET /api/metrics tails finished runs since its cursor.
    index("runs_finished_idx")
      .on(t.finishedAt, t.id)
      .where(sql`finished_at is not null`),
    // The palette and the list view's words: substring (ILIKE '%…%') lookups, which no btree serves (pg_trgm).
    index("runs_search_trgm_idx").using("gin", sql.raw(`${runSearchText()} gin_trgm_ops`)),
  ],
);

export const turnStatuses = ["running", "completed", "failed", "aborted"] as const;
export type TurnStatus = (typeof turnStatuses)[number];

/** One model call plus its tool calls: the checkpoint a run resumes from. */
export const turns = pgTable(
  "turns",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id),
    index: integer("index").notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", { enum: turnStatuses }).notNull(),
    workerId: text("worker_id").notNull(),
    model: text("model"),
    messagesIn: jsonb("messages_in").$type<unknown[]>().notNull(),
    messagesOut: jsonb("messages_out").$type<unknown[]>(),
    toolCalls: jsonb("tool_calls").$type<unknown[]>(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    /** The run's fair-share key, the cost charged at claim (estimate) and at checkpoint (real), and how long it waited. */
    fairKey: text("fair_key"),
    estimatedCost: doublePrecision("estimated_cost"),
    cost: doublePrecision("cost"),
    waitMs: integer("wait_ms"),
    /** Wall-clock time of the turn's model call (provider retries and backoff included); null when the turn made none. */
    modelMs: integer("model_ms"),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("turns_run_index_attempt").on(t.runId, t.index, t.attempt),
    index("turns_run_idx").on(t.runId, t.index),
    // Shares and waits over the last minutes (GET /api/scheduling).
    index("turns_started_idx").on(t.startedAt),
    // GET /api/metrics tails finished turns since its cursor.
    index("turns_finished_idx")
      .on(t.finishedAt, t.id)
      .where(sql`finished_at is not null`),
  ],
);

/** Named model endpoints and their concurrency limits, synced from configuration. */
export const modelEndpoints = pgTable("model_endpoints", {
  name: text("name").primaryKey(),
  provider: text("provider").notNull(),
  model: text("model").notNull(),
  maxConcurrency: integer("max_concurrency").notNull(),
  /** Tokens per minute across every instance (null: no limit). */
  tokensPerMinute: integer("tokens_per_minute"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The turn journal: the model's answer for (run, turn), stored before any of its tool calls
 * runs. A turn re-executed after a crash continues from this answer instead of asking the
 * model again, so its tool calls are the same calls (same identity, same idempotency keys).
 */
export const turnJournal = pgTable(
  "turn_journal",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    turnIndex: integer("turn_index").notNull(),
    /** { text, toolCalls, usage, modelId } as the model answered (redacted). */
    answer: jsonb("answer").$type<Record<string, unknown>>().notNull(),
    attempt: integer("attempt").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.turnIndex] })],
);

export const signalWaitStatuses = ["pending", "woken", "timed_out"] as const;
export type SignalWaitStatus = (typeof signalWaitStatuses)[number];

/** A run parked by wait_for_signal: woken by POST /api/signals/{name} (payload matches) or its timeout. */
export const signalWaits = pgTable(
  "signal_waits",
  {
    /** The tool call's idempotency key (run:turn:call). */
    callKey: text("call_key").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    match: jsonb("match").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: signalWaitStatuses }).notNull().default("pending"),
    payload: jsonb("payload").$type<unknown>(),
    timeoutAt: timestamp("timeout_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    index("signal_waits_pending_idx")
      .on(t.name)
      .where(sql`status = 'pending'`),
    index("signal_waits_timeout_idx")
      .on(t.timeoutAt)
      .where(sql`status = 'pending'`),
  ],
);
