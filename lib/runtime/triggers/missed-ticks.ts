import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { cronTicks } from "@/db/schema";

export interface MissedTick {
  jobId: string;
  tickAt: string;
  recordedAt: string;
}

/** Cron ticks that passed while no scheduler ran, newest first (for the cockpit). */
export async function listMissedTicks(
  db: Queryable,
  filter: { jobId?: string; limit?: number } = {},
): Promise<MissedTick[]> {
  const rows = await db
    .select()
    .from(cronTicks)
    .where(and(eq(cronTicks.status, "missed"), filter.jobId ? eq(cronTicks.jobId, filter.jobId) : undefined))
    .orderBy(desc(cronTicks.tickAt))
    .limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  return rows.map((r) => ({
    jobId: r.jobId,
    tickAt: r.tickAt.toISOString(),
    recordedAt: r.recordedAt.toISOString(),
  }));
}
