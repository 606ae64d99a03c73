import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import type { ChartWindow } from "@/lib/time-range";

export interface ResourceWaitBucket {
  at: string;
  /** Waits that ended in the bucket (runs requeued once the resource's window refilled). */
  waits: number;
  meanMs: number | null;
  maxMs: number | null;
}

export interface ResourceWaitSeries {
  /** "tool:<name>" (a tool quota) or "writes" (the write budget). */
  resource: string;
  buckets: ResourceWaitBucket[];
}

type Row = { resource: string; i: number | string; waits: number | string; wait_ms: number | string; max_ms: unknown };

/**
 * Waits for rate-limited resources per resource and bucket of a chart window, from the
 * per-minute rollup (resource_wait_minutes, read by its minute index). Only resources with a
 * wait in the window are listed.
 */
export async function resourceWaitSeries(db: Queryable, chart: ChartWindow): Promise<ResourceWaitSeries[]> {
  const seconds = chart.bucketMs / 1000;
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select resource,
             floor(extract(epoch from (minute - ${chart.from}::timestamptz)) / ${seconds})::int as i,
             sum(waits) as waits, sum(wait_ms) as wait_ms, max(max_wait_ms) as max_ms
      from resource_wait_minutes
      where minute >= ${chart.from}::timestamptz
      group by 1, 2
      order by 1`),
  );
  const out = new Map<string, ResourceWaitSeries>();
  for (const r of rows) {
    let series = out.get(r.resource);
    if (!series) {
      series = {
        resource: r.resource,
        buckets: chart.starts.map((at) => ({ at, waits: 0, meanMs: null, maxMs: null })),
      };
      out.set(r.resource, series);
    }
    const bucket = series.buckets[Number(r.i)];
    if (!bucket) continue;
    const waits = Number(r.waits);
    bucket.waits = waits;
    bucket.meanMs = waits > 0 ? Math.round(Number(r.wait_ms) / waits) : null;
    bucket.maxMs = r.max_ms === null ? null : Number(r.max_ms);
  }
  return [...out.values()];
}
