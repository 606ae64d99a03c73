import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { notifications } from "@/db/schema";

export type NotificationRow = typeof notifications.$inferSelect;

/** Operator messages a run left with the `notify` tool, newest first (already redacted). */
export async function listRunNotifications(db: Queryable, runId: string, limit = 100): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.runId, runId))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

/** The latest operator messages across all runs (for a cockpit feed). */
export async function listRecentNotifications(db: Queryable, limit = 50): Promise<NotificationRow[]> {
  return db.select().from(notifications).orderBy(desc(notifications.createdAt)).limit(limit);
}
