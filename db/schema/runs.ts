import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
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
    output: jsonb("output").$type<unknown>(),
    error: text("error"),
    modelEndpoint: text("model_endpoint").notNull(),
    budgetTokens: integer("budget_tokens").notNull(),
    budgetTurns: integer("budget_turns").notNull(),
    budgetWallClockMs: integer("budget_wall_clock_ms").notNull(),
    tokensUsed: integer("tokens_used").notNull().default(0),
    turnsUsed: integer("turns_used").notNull().default(0),
    fairGroup: text("fair_group").notNull(),
    weight: integer("weight").notNull().default(1),
    priority: integer("priority").notNull().default(0),
    deadline: timestamp("deadline", { withTimezone: true }),
    attempt: integer("attempt").notNull().default(1),
    leaseToken: text("lease_token"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    pauseRequested: boolean("pause_requested").notNull().default(false),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** Hard cancel: the worker aborts the turn in flight (NOTIFY wakes it; its heartbeat also reads this). */
    abortRequested: boolean("abort_requested").notNull().default(false),
    retryOf: text("retry_of"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("runs_state_idx").on(t.state, t.createdAt),
    index("runs_job_idx").on(t.jobId, t.createdAt),
    index("runs_created_idx").on(t.createdAt, t.id),
    // Matches the claim ordering (lib/runtime/claim-order.ts) over the runnable set.
    index("runs_claim_idx")
      .on(t.priority.desc(), t.deadline.asc().nullsLast(), t.createdAt.asc())
      .where(sql`state in ('queued', 'running')`),
    // Live leases per endpoint are counted at every claim.
    index("runs_endpoint_lease_idx").on(t.modelEndpoint, t.leaseExpiresAt).where(sql`lease_token is not null`),
    index("runs_retry_of_idx").on(t.retryOf),
    // The cockpit's change feed asks for runs updated since a cursor every second.
    index("runs_updated_idx").on(t.updatedAt),
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
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("turns_run_index_attempt").on(t.runId, t.index, t.attempt),
    index("turns_run_idx").on(t.runId, t.index),
  ],
);

/** Named model endpoints and their concurrency limits, synced from configuration. */
export const modelEndpoints = pgTable("model_endpoints", {
  name: text("name").primaryKey(),
  provider: text("provider").notNull(),
  model: text("model").notNull(),
  maxConcurrency: integer("max_concurrency").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
