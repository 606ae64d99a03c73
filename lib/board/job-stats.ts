import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";

/** Recent runs of a job: the window the registry pages summarise. */
export const STATS_WINDOW_DAYS = 30;

export interface JobRunStats {
  jobId: string;
  /** Runs created in the window. */
  runs: number;
  active: number;
  succeeded: number;
  /** failed + timed out. */
  failed: number;
  cancelled: number;
  /** succeeded / (succeeded + failed + timed out); null before any run finished that way. Cancellations are operator decisions, not outcomes. */
  successRate: number | null;
  /** Median start-to-finish time of succeeded runs, ms. */
  medianDurationMs: number | null;
  lastRunAt: string | null;
}

type Row = {
  job_id: string;
  runs: number | string;
  active: number | string;
  succeeded: number | string;
  failed: number | string;
  cancelled: number | string;
  median_ms: number | string | null;
  last_run_at: string | null;
};

/**
 * One query for every job (or one), grouped in the database: count, success rate, median
 * duration of the runs created since `from` (ISO; by default the last STATS_WINDOW_DAYS days).
 */
export async function jobRunStats(db: Queryable, jobId?: string, from?: string): Promise<Map<string, JobRunStats>> {
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select job_id,
             count(*) as runs,
             count(*) filter (where state in ('queued', 'running', 'waiting', 'paused')) as active,
             count(*) filter (where state = 'succeeded') as succeeded,
             count(*) filter (where state in ('failed', 'timed_out')) as failed,
             count(*) filter (where state = 'cancelled') as cancelled,
             percentile_cont(0.5) within group (
               order by extract(epoch from (finished_at - coalesce(started_at, created_at))) * 1000
             ) filter (where state = 'succeeded' and finished_at is not null) as median_ms,
             to_char(max(created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_run_at
      from runs
      where ${from === undefined ? sql`created_at > now() - make_interval(days => ${STATS_WINDOW_DAYS})` : sql`created_at >= ${from}::timestamptz`}
        ${jobId === undefined ? sql`` : sql`and job_id = ${jobId}`}
      group by job_id`),
  );
  const out = new Map<string, JobRunStats>();
  for (const r of rows) {
    const succeeded = Number(r.succeeded);
    const failed = Number(r.failed);
    out.set(r.job_id, {
      jobId: r.job_id,
      runs: Number(r.runs),
      active: Number(r.active),
      succeeded,
      failed,
      cancelled: Number(r.cancelled),
      successRate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null,
      medianDurationMs: r.median_ms === null ? null : Math.round(Number(r.median_ms)),
      lastRunAt: r.last_run_at,
    });
  }
  return out;
}

export function emptyStats(jobId: string): JobRunStats {
  return {
    jobId,
    runs: 0,
    active: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    successRate: null,
    medianDurationMs: null,
    lastRunAt: null,
  };
}
