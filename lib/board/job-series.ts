import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import type { BucketSize, ChartWindow, TimeRange } from "@/lib/time-range";
import { chartWindowOf } from "./chart-window";

/** One bucket of a job's runs, by creation time (the same counting as jobRunStats). */
export interface RunSeriesBucket {
  /** Bucket start, ISO (UTC). */
  at: string;
  runs: number;
  succeeded: number;
  /** failed + timed out. */
  failed: number;
  /** cancelled, or still active. */
  other: number;
  /** Median start-to-finish time of the bucket's succeeded runs, ms. */
  p50Ms: number | null;
  tokens: number;
}

export interface RunSeries {
  bucket: BucketSize;
  /** "last 7 days", "since 3 Jun 2026". */
  span: string;
  /** Start of the first bucket, ISO. */
  from: string;
  buckets: RunSeriesBucket[];
}

/** A series with no runs (a job that has not run in the window). */
export function emptySeries(chart: ChartWindow): RunSeries {
  return {
    bucket: chart.bucket,
    span: chart.span,
    from: chart.from,
    buckets: chart.starts.map((at) => ({ at, runs: 0, succeeded: 0, failed: 0, other: 0, p50Ms: null, tokens: 0 })),
  };
}

/** The buckets for a job's charts (or every job's) over a range; all time starts at the oldest run. */
export function jobChartWindow(db: Queryable, range: TimeRange, jobId?: string): Promise<ChartWindow> {
  // min() over runs_created_idx (every job) or runs_job_idx (one job).
  return chartWindowOf(
    db,
    range,
    sql`select min(created_at) as at from runs ${jobId === undefined ? sql`` : sql`where job_id = ${jobId}`}`,
  );
}

type Row = {
  job_id: string;
  b: number | string;
  runs: number | string;
  succeeded: number | string;
  failed: number | string;
  p50: number | string | null;
  tokens: number | string | null;
};

/**
 * Runs per job per bucket of a chart window: counts by outcome, median duration of succeeded
 * runs and tokens spent. One grouped query for every job (a range of runs_created_idx) or one
 * job (runs_job_idx); buckets without runs are filled in as zeros.
 */
export async function jobRunSeries(
  db: Queryable,
  options: { window: ChartWindow; jobId?: string },
): Promise<Map<string, RunSeries>> {
  const { window: chart, jobId } = options;
  const { from } = chart;
  const count = chart.starts.length;
  const seconds = chart.bucketMs / 1000;
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select job_id,
             floor(extract(epoch from (created_at - ${from}::timestamptz)) / ${seconds})::int as b,
             count(*) as runs,
             count(*) filter (where state = 'succeeded') as succeeded,
             count(*) filter (where state in ('failed', 'timed_out')) as failed,
             percentile_cont(0.5) within group (
               order by extract(epoch from (finished_at - coalesce(started_at, created_at))) * 1000
             ) filter (where state = 'succeeded' and finished_at is not null) as p50,
             sum(tokens_used) as tokens
      from runs
      where created_at >= ${from}::timestamptz
        ${jobId === undefined ? sql`` : sql`and job_id = ${jobId}`}
      group by 1, 2`),
  );
  const out = new Map<string, RunSeries>();
  for (const r of rows) {
    const index = Number(r.b);
    if (index < 0 || index >= count) continue;
    let series = out.get(r.job_id);
    if (!series) {
      series = emptySeries(chart);
      out.set(r.job_id, series);
    }
    const runs = Number(r.runs);
    const succeeded = Number(r.succeeded);
    const failed = Number(r.failed);
    series.buckets[index] = {
      at: series.buckets[index]?.at ?? "",
      runs,
      succeeded,
      failed,
      other: runs - succeeded - failed,
      p50Ms: r.p50 === null ? null : Math.round(Number(r.p50)),
      tokens: Number(r.tokens ?? 0),
    };
  }
  return out;
}

/** Upper bounds of the duration histogram's buckets, ms (the last bucket is open). */
export const DURATION_EDGES_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 900_000, 3_600_000];

export interface DurationBucket {
  /** Lower bound, ms (inclusive). */
  fromMs: number;
  /** Upper bound, ms (exclusive); null for the open last bucket. */
  toMs: number | null;
  succeeded: number;
  /** failed + timed out. */
  failed: number;
}

/**
 * How long a job's finished runs took (start to finish), created since `from` (ISO, a chart window's start):
 * counts per duration bucket, succeeded and failed apart. Cancelled runs are left out.
 */
export async function jobDurationHistogram(db: Queryable, jobId: string, from: string): Promise<DurationBucket[]> {
  const thresholds = sql.raw(`array[0, ${DURATION_EDGES_MS.join(", ")}]::double precision[]`);
  const rows = rowsOf<{ b: number | string; succeeded: number | string; failed: number | string }>(
    await db.execute(sql`
      select width_bucket(
               extract(epoch from (finished_at - coalesce(started_at, created_at))) * 1000, ${thresholds}
             ) as b,
             count(*) filter (where state = 'succeeded') as succeeded,
             count(*) filter (where state in ('failed', 'timed_out')) as failed
      from runs
      where job_id = ${jobId}
        and created_at >= ${from}::timestamptz
        and state in ('succeeded', 'failed', 'timed_out')
        and finished_at is not null
      group by 1`),
  );
  const lows = [0, ...DURATION_EDGES_MS];
  const buckets: DurationBucket[] = lows.map((fromMs, i) => ({
    fromMs,
    toMs: DURATION_EDGES_MS[i] ?? null,
    succeeded: 0,
    failed: 0,
  }));
  for (const r of rows) {
    // width_bucket: 0 below the first bound (a clock step backwards), i for [bound i-1, bound i).
    const bucket = buckets[Math.max(0, Number(r.b) - 1)];
    if (!bucket) continue;
    bucket.succeeded += Number(r.succeeded);
    bucket.failed += Number(r.failed);
  }
  return buckets;
}
