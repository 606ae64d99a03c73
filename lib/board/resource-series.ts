import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import type { BucketSize, ChartWindow, TimeRange } from "@/lib/time-range";
import { chartWindowOf } from "./chart-window";

export interface EndpointBucket {
  /** Bucket start, ISO. */
  at: string;
  /** Average model slots held by turns over the bucket (turn time / bucket length). */
  slots: number;
  turnsStarted: number;
}

export interface EndpointSeries {
  endpoint: string;
  capacity: number;
  buckets: EndpointBucket[];
  /** The wait before each bucket's turns on this endpoint started. */
  waits: WaitBucket[];
}

export interface WaitBucket {
  at: string;
  turns: number;
  /** How long the bucket's turns waited from runnable to start (fair share, slots, rate limits), ms. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ResourceSeries {
  bucket: BucketSize;
  /** "last hour", "since 3 Jun 2026". */
  span: string;
  endpoints: EndpointSeries[];
}

/** The buckets for the capacity charts over a range; all time starts at the oldest turn (turns_started_idx). */
export function resourceChartWindow(db: Queryable, range: TimeRange): Promise<ChartWindow> {
  return chartWindowOf(db, range, sql`select min(started_at) as at from turns`);
}

/**
 * Model capacity over a chart window, per endpoint: slots in use (turn time per bucket)
 * against max concurrency, turns started, and the wait before its turns started
 * (turns.wait_ms, p50 and p95). Reads turns by started_at (turns_started_idx); a turn still running counts
 * until now.
 */
export async function resourceSeries(db: Queryable, chart: ChartWindow): Promise<ResourceSeries> {
  const { starts, from } = chart;
  const count = starts.length;
  const seconds = chart.bucketMs / 1000;
  const [usageRows, waitRows, endpointRows] = await Promise.all([
    db.execute(sql`
      with t as (
        select r.model_endpoint as endpoint, t.started_at as s, coalesce(t.finished_at, now()) as f
        from turns t join runs r on r.id = t.run_id
        -- A turn is bounded by the run's wall clock; one that began up to an hour earlier may still overlap.
        where t.started_at > ${from}::timestamptz - interval '60 minutes'
          and coalesce(t.finished_at, now()) > ${from}::timestamptz
      ),
      -- Each turn is paired with the few buckets it overlaps, not with every bucket of the window.
      b as (
        select t.endpoint, t.s, t.f, i,
               ${from}::timestamptz + i * make_interval(secs => ${seconds}) as lo,
               ${from}::timestamptz + (i + 1) * make_interval(secs => ${seconds}) as hi
        from t cross join lateral generate_series(
          greatest(0, floor(extract(epoch from (t.s - ${from}::timestamptz)) / ${seconds})::int),
          least(${count - 1}, floor(extract(epoch from (t.f - ${from}::timestamptz)) / ${seconds})::int)
        ) as i
      )
      select endpoint, i,
             sum(greatest(0, extract(epoch from (least(f, hi) - greatest(s, lo))))) / ${seconds} as slots,
             count(*) filter (where s >= lo) as started
      from b
      group by 1, 2`),
    db.execute(sql`
      select r.model_endpoint as endpoint,
             floor(extract(epoch from (t.started_at - ${from}::timestamptz)) / ${seconds})::int as i,
             count(*) as turns,
             percentile_cont(0.5) within group (order by t.wait_ms) as p50,
             percentile_cont(0.95) within group (order by t.wait_ms) as p95
      from turns t join runs r on r.id = t.run_id
      where t.started_at >= ${from}::timestamptz and t.wait_ms is not null
      group by 1, 2`),
    db.execute(sql`select name, max_concurrency from model_endpoints order by name`),
  ]);
  const endpoints = new Map<string, EndpointSeries>();
  const series = (endpoint: string, capacity = 0) => {
    let e = endpoints.get(endpoint);
    if (!e) {
      e = {
        endpoint,
        capacity,
        buckets: starts.map((at) => ({ at, slots: 0, turnsStarted: 0 })),
        waits: starts.map((at) => ({ at, turns: 0, p50Ms: null, p95Ms: null })),
      };
      endpoints.set(endpoint, e);
    }
    return e;
  };
  for (const r of rowsOf<{ name: string; max_concurrency: number | string }>(endpointRows)) {
    series(r.name, Number(r.max_concurrency));
  }
  for (const r of rowsOf<{ endpoint: string; i: number | string; slots: number | string; started: number | string }>(
    usageRows,
  )) {
    const bucket = series(r.endpoint).buckets[Number(r.i)];
    if (!bucket) continue;
    bucket.slots = Math.round(Number(r.slots) * 100) / 100;
    bucket.turnsStarted = Number(r.started);
  }
  type WaitRow = { endpoint: string; i: number | string; turns: number | string; p50: unknown; p95: unknown };
  for (const r of rowsOf<WaitRow>(waitRows)) {
    const bucket = series(r.endpoint).waits[Number(r.i)];
    if (!bucket) continue;
    bucket.turns = Number(r.turns);
    bucket.p50Ms = r.p50 === null ? null : Math.round(Number(r.p50));
    bucket.p95Ms = r.p95 === null ? null : Math.round(Number(r.p95));
  }
  return { bucket: chart.bucket, span: chart.span, endpoints: [...endpoints.values()] };
}
