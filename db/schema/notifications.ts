import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { runs } from "./runs";

export const notificationLevels = ["info", "warning", "critical"] as const;
export type NotificationLevel = (typeof notificationLevels)[number];

/** Messages a run leaves for operators (the `notify` tool), shown on the run. Stored redacted. */
export const notifications = pgTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    jobId: text("job_id").notNull(),
    level: text("level", { enum: notificationLevels }).notNull(),
    title: text("title").notNull(),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notifications_run_idx").on(t.runId, t.createdAt), index("notifications_created_idx").on(t.createdAt)],
);
