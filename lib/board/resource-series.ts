import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";

export interface EndpointMinute {
  /** Minute start, ISO. */
  at: string;
  /** Average model slots held by turns over the minute (turn time / 60 s). */
  slots: number;
  turnsStarted: number;
}

export interface EndpointSeries {
  endpoint: string;
  capacity: number;
  minutes: EndpointMinute[];
}

export interface WaitMinute {
  at: string;
  turns: number;
  /** How long the minute's turns waited from runnable to start (fair share, slots, rate limits), ms. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ResourceSeries {
  endpoints: EndpointSeries[];
  waits: WaitMinute[];
}

/**
 * The last `minutes` minutes of model capacity: per endpoint, slots in use (turn time per
 * minute) against max concurrency and turns started; across endpoints, the wait before a
 * turn started (turns.wait_ms). Reads turns by started_at (turns_started_idx); a turn still
 * running counts until now.
 */
export async function resourceSeries(db: Queryable, minutes = 60, now = new Date()): Promise<ResourceSeries> {
  const step = 60_000;
  const last = Math.floor(now.getTime() / step) * step;
  const starts = Array.from({ length: minutes }, (_, i) => new Date(last - (minutes - 1 - i) * step).toISOString());
  const from = starts[0] ?? now.toISOString();
  const [usageRows, waitRows, endpointRows] = await Promise.all([
    db.execute(sql`
      with t as (
        select r.model_endpoint as endpoint, t.started_at as s, coalesce(t.finished_at, now()) as f
        from turns t join runs r on r.id = t.run_id
        -- A turn is bounded by the run's wall clock; one that began up to an hour earlier may still overlap.
        where t.started_at > ${from}::timestamptz - interval '60 minutes'
          and coalesce(t.finished_at, now()) > ${from}::timestamptz
      ),
      m as (
        select i, ${from}::timestamptz + i * interval '1 minute' as lo,
               ${from}::timestamptz + (i + 1) * interval '1 minute' as hi
        from generate_series(0, ${minutes - 1}) as i
      )
      select t.endpoint, m.i,
             sum(extract(epoch from (least(t.f, m.hi) - greatest(t.s, m.lo)))) / 60 as slots,
             count(*) filter (where t.s >= m.lo) as started
      from t join m on t.s < m.hi and t.f > m.lo
      group by 1, 2`),
    db.execute(sql`
      select floor(extract(epoch from (started_at - ${from}::timestamptz)) / 60)::int as i,
             count(*) as turns,
             percentile_cont(0.5) within group (order by wait_ms) as p50,
             percentile_cont(0.95) within group (order by wait_ms) as p95
      from turns
      where started_at >= ${from}::timestamptz and wait_ms is not null
      group by 1`),
    db.execute(sql`select name, max_concurrency from model_endpoints order by name`),
  ]);
  const endpoints = new Map<string, EndpointSeries>();
  const series = (endpoint: string, capacity = 0) => {
    let e = endpoints.get(endpoint);
    if (!e) {
      e = { endpoint, capacity, minutes: starts.map((at) => ({ at, slots: 0, turnsStarted: 0 })) };
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
    const minute = series(r.endpoint).minutes[Number(r.i)];
    if (!minute) continue;
    minute.slots = Math.round(Number(r.slots) * 100) / 100;
    minute.turnsStarted = Number(r.started);
  }
  const waits: WaitMinute[] = starts.map((at) => ({ at, turns: 0, p50Ms: null, p95Ms: null }));
  for (const r of rowsOf<{ i: number | string; turns: number | string; p50: unknown; p95: unknown }>(waitRows)) {
    const minute = waits[Number(r.i)];
    if (!minute) continue;
    minute.turns = Number(r.turns);
    minute.p50Ms = r.p50 === null ? null : Math.round(Number(r.p50));
    minute.p95Ms = r.p95 === null ? null : Math.round(Number(r.p95));
  }
  return { endpoints: [...endpoints.values()], waits };
}
