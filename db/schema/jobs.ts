import { index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The job registry. Declarations live in code (domains/); at start-up each is validated
 * and synced here with its content hash as version. `declaration` is the serialisable
 * form (zod schemas as JSON Schema) so old versions stay readable after code changes.
 */
export const jobs = pgTable("jobs", {
  id: text("id").primaryKey(),
  domain: text("domain").notNull(),
  title: text("title").notNull(),
  currentVersion: text("current_version").notNull(),
  declaration: jsonb("declaration").$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  /**
   * When the job's current set of schedules took effect (registration, a schedule change,
   * or a return after removal): cron ticks before it were never due, so never missed.
   */
  scheduleSince: timestamp("schedule_since", { withTimezone: true }).notNull().defaultNow(),
  /** Set when the declaration disappeared from code; its runs and history remain. */
  removedAt: timestamp("removed_at", { withTimezone: true }),
});

export const jobVersions = pgTable(
  "job_versions",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id),
    version: text("version").notNull(),
    declaration: jsonb("declaration").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.version] })],
);

/** One row per (job, cron tick): the primary key is what makes a tick fire exactly once. */
export const cronTicks = pgTable(
  "cron_ticks",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id),
    tickAt: timestamp("tick_at", { withTimezone: true }).notNull(),
    /** fired: a run was created; missed: the tick passed while nothing was running. */
    status: text("status", { enum: ["fired", "missed"] }).notNull(),
    runId: text("run_id"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.tickAt] }), index("cron_ticks_status_idx").on(t.status, t.tickAt)],
);

/** Idempotency-Key deduplication for POST /api/signals/:name. */
export const signalDeliveries = pgTable(
  "signal_deliveries",
  {
    signalName: text("signal_name").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of the validated payload: the same key with another payload is a conflict. */
    payloadHash: text("payload_hash").notNull(),
    runIds: jsonb("run_ids").$type<string[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.signalName, t.idempotencyKey] })],
);
