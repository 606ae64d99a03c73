import { jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { runs } from "./runs";

/**
 * A run's key-value state namespace (state_get / state_set). Keyed by run, so no run
 * can name another run's keys: isolation is the primary key, not a convention.
 */
export const runState = pgTable(
  "run_state",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: jsonb("value").$type<unknown>().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] })],
);
