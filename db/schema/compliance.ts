import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { runs } from "./runs";

/** A person's saved audit explorer queries (lib/audit/explorer/saved.ts). */
export const auditSavedQueries = pgTable(
  "audit_saved_queries",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    query: text("query").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_saved_queries_user_idx").on(t.userId, t.createdAt)],
);

/**
 * What retention purged from a finished run and when (lib/compliance/retention.ts). The
 * run's skeleton (state, timings, governance, trigger, actor) and its audit events stay.
 */
export const runPurges = pgTable("run_purges", {
  runId: text("run_id")
    .primaryKey()
    .references(() => runs.id, { onDelete: "cascade" }),
  purgedAt: timestamp("purged_at", { withTimezone: true }).notNull().defaultNow(),
  retentionDays: jsonb("retention_days").$type<number>().notNull(),
  /** Counts of what was removed: input, turns (messages), toolCalls (inputs/outputs), workspace files and state keys. */
  removed: jsonb("removed").$type<Record<string, number | boolean>>().notNull(),
});
