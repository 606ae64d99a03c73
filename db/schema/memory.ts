import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { runs } from "./runs";

/**
 * Shared memory: entities in named collections (`collection/key`), shared by every run of
 * the deployment. `value` is null for a deleted entity (a revert of its creation): the row
 * stays so the version keeps counting.
 */
export const memoryEntities = pgTable(
  "memory_entities",
  {
    collection: text("collection").notNull(),
    key: text("key").notNull(),
    value: jsonb("value").$type<unknown>(),
    version: integer("version").notNull(),
    /** The run whose write made this version (null: a person's revert). */
    updatedByRun: text("updated_by_run"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.collection, t.key] })],
);

export const memoryWriteKinds = ["write", "revert"] as const;
export type MemoryWriteKind = (typeof memoryWriteKinds)[number];

/**
 * Provenance: one immutable row per write (a trigger refuses UPDATE and DELETE), written
 * in the transaction of the write and its audit event. A write by a run names the run,
 * turn, tool call, job version and the authorization it ran under; a revert names the
 * person and the run it reverted.
 */
export const memoryHistory = pgTable(
  "memory_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    collection: text("collection").notNull(),
    key: text("key").notNull(),
    version: integer("version").notNull(),
    kind: text("kind", { enum: memoryWriteKinds }).notNull(),
    before: jsonb("before").$type<unknown>(),
    after: jsonb("after").$type<unknown>(),
    runId: text("run_id"),
    jobId: text("job_id"),
    jobVersion: text("job_version"),
    turnIndex: integer("turn_index"),
    callIndex: integer("call_index"),
    /** tool_calls.key of the write (`run:turn:call`). */
    toolCallKey: text("tool_call_key"),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    authorization: jsonb("authorization").$type<Record<string, unknown>>().notNull(),
    /** For kind revert: the run whose writes were reverted. */
    revertsRun: text("reverts_run"),
    at: timestamp("at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    uniqueIndex("memory_history_entity_version").on(t.collection, t.key, t.version),
    index("memory_history_run_idx").on(t.runId, t.id),
  ],
);

export const lockModes = ["exclusive", "shared"] as const;
export type LockMode = (typeof lockModes)[number];
export const lockStatuses = ["held", "waiting", "refused"] as const;
export type LockStatus = (typeof lockStatuses)[number];

/**
 * Agent-level locks on entities, owned by runs. One row per (entity, run): held, waiting
 * (FIFO by seq) or refused (a deadlock victim or a timed-out wait; the refusal is handed to
 * the run's next memory_lock call, then the row goes). A finished run's rows are deleted.
 */
export const memoryLocks = pgTable(
  "memory_locks",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    entity: text("entity").notNull(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    mode: text("mode", { enum: lockModes }).notNull(),
    status: text("status", { enum: lockStatuses }).notNull(),
    /** Why a refused request was refused (deadlock with run …, wait timed out …). */
    refusal: text("refusal"),
    requestedAt: timestamp("requested_at", { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
    grantedAt: timestamp("granted_at", { withTimezone: true }),
    /** A waiting request is refused once this passes. */
    timeoutAt: timestamp("timeout_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("memory_locks_entity_run").on(t.entity, t.runId),
    index("memory_locks_entity_idx").on(t.entity, t.seq),
    index("memory_locks_run_idx").on(t.runId),
    index("memory_locks_waiting_idx")
      .on(t.timeoutAt)
      .where(sql`status = 'waiting'`),
  ],
);
