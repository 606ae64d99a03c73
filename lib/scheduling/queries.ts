import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { pgBool, rowsOf } from "@/db/rows";

export interface KeyShare {
  turns: number;
  tokens: number;
  /** Fraction of all turn cost served in the window (0..1). */
  share: number;
}

export interface SchedulingKeyView {
  key: string;
  weight: number;
  weightSource: "declaration" | "admin";
  /** Fraction of the total weight of the keys with work, i.e. the share it is entitled to while backlogged. */
  entitled: number;
  vtime: number;
  queued: number;
  running: number;
  waiting: number;
  waitP50Ms: number | null;
  waitP95Ms: number | null;
  /** Share of service (turn cost) over the last 5, 15 and 60 minutes. */
  share5m: KeyShare;
  share15m: KeyShare;
  share60m: KeyShare;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

/**
 * GET /api/scheduling: every known key with its weight, virtual time, queue counts, wait
 * percentiles over 5 minutes and share of service over 5/15/60 minutes. Reads the keys
 * table and the turns of the last hour (turns_started_idx), not the backlog.
 */
export async function schedulingOverview(db: Queryable): Promise<{ keys: SchedulingKeyView[] }> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with recent as (
        select fair_key as key, started_at, wait_ms, coalesce(cost, estimated_cost, 0) as cost, input_tokens + output_tokens as tokens
        from turns where started_at > now() - interval '60 minutes' and fair_key is not null
      ),
      totals as (
        select
          sum(cost) filter (where started_at > now() - interval '5 minutes') as c5,
          sum(cost) filter (where started_at > now() - interval '15 minutes') as c15,
          sum(cost) as c60
        from recent
      ),
      per_key as (
        select key,
          count(*) filter (where started_at > now() - interval '5 minutes') as t5,
          count(*) filter (where started_at > now() - interval '15 minutes') as t15,
          count(*) as t60,
          coalesce(sum(tokens) filter (where started_at > now() - interval '5 minutes'), 0) as k5,
          coalesce(sum(tokens) filter (where started_at > now() - interval '15 minutes'), 0) as k15,
          coalesce(sum(tokens), 0) as k60,
          coalesce(sum(cost) filter (where started_at > now() - interval '5 minutes'), 0) as c5,
          coalesce(sum(cost) filter (where started_at > now() - interval '15 minutes'), 0) as c15,
          coalesce(sum(cost), 0) as c60,
          percentile_cont(0.5) within group (order by wait_ms) filter (where started_at > now() - interval '5 minutes') as p50,
          percentile_cont(0.95) within group (order by wait_ms) filter (where started_at > now() - interval '5 minutes') as p95
        from recent group by key
      ),
      waiting as (select fair_group as key, count(*) as n from runs where state = 'waiting' group by fair_group),
      keys as (select key from scheduling_keys union select key from per_key)
      select keys.key, coalesce(k.weight, 1) as weight, coalesce(k.weight_source, 'declaration') as weight_source,
        coalesce(k.vtime, 0) as vtime, coalesce(k.runnable, 0) as queued, coalesce(k.leased, 0) as running,
        coalesce(w.n, 0) as waiting, p.p50, p.p95,
        coalesce(p.t5, 0) as t5, coalesce(p.t15, 0) as t15, coalesce(p.t60, 0) as t60,
        coalesce(p.k5, 0) as k5, coalesce(p.k15, 0) as k15, coalesce(p.k60, 0) as k60,
        coalesce(p.c5, 0) / nullif((select c5 from totals), 0) as s5,
        coalesce(p.c15, 0) / nullif((select c15 from totals), 0) as s15,
        coalesce(p.c60, 0) / nullif((select c60 from totals), 0) as s60
      from keys
      left join scheduling_keys k on k.key = keys.key
      left join per_key p on p.key = keys.key
      left join waiting w on w.key = keys.key
      order by keys.key`),
  );
  const active = rows.filter((r) => num(r.queued) + num(r.running) > 0);
  const totalWeight = active.reduce((s, r) => s + num(r.weight), 0);
  return {
    keys: rows.map((r) => {
      const busy = num(r.queued) + num(r.running) > 0;
      return {
        key: String(r.key),
        weight: num(r.weight),
        weightSource: r.weight_source === "admin" ? "admin" : "declaration",
        entitled: busy && totalWeight > 0 ? num(r.weight) / totalWeight : 0,
        vtime: num(r.vtime),
        queued: num(r.queued),
        running: num(r.running),
        waiting: num(r.waiting),
        waitP50Ms: numOrNull(r.p50),
        waitP95Ms: numOrNull(r.p95),
        share5m: { turns: num(r.t5), tokens: num(r.k5), share: num(r.s5) },
        share15m: { turns: num(r.t15), tokens: num(r.k15), share: num(r.s15) },
        share60m: { turns: num(r.t60), tokens: num(r.k60), share: num(r.s60) },
      };
    }),
  };
}

export interface ServiceBucket {
  /** Minute start, ISO. */
  at: string;
  /** Turn cost served per key in that minute. */
  cost: Record<string, number>;
}

/** Per-minute service per key over the last `minutes` (the Resources page's chart). */
export async function serviceSeries(db: Queryable, minutes = 15): Promise<ServiceBucket[]> {
  const rows = rowsOf<{ at: string | Date; key: string; cost: number | string }>(
    await db.execute(sql`
      select date_trunc('minute', started_at) as at, fair_key as key, sum(coalesce(cost, estimated_cost, 0)) as cost
      from turns where started_at > now() - ${Math.round(minutes)}::int * interval '1 minute' and fair_key is not null
      group by 1, 2 order by 1`),
  );
  const buckets = new Map<string, ServiceBucket>();
  for (const r of rows) {
    const at = new Date(r.at).toISOString();
    const b = buckets.get(at) ?? { at, cost: {} };
    b.cost[r.key] = Number(r.cost);
    buckets.set(at, b);
  }
  return [...buckets.values()];
}

export interface WaitPosition {
  resource: string;
  /** 1-based: how many claimable runs on the same endpoint the policy serves before it, plus one (approximate: one turn per key per round). */
  position: number;
  key: string;
  /** The key's weighted service is above the least-served active key's. */
  overShare: boolean;
}

/**
 * Why and where a runnable run waits: its endpoint, its place in the policy's order (keys
 * served before its key in its class, plus runs of its key ahead of it), and whether its
 * key is over its share. Null when the run is not runnable.
 */
export async function runWaitPosition(db: Queryable, runId: string): Promise<WaitPosition | null> {
  return (await runWaitPositions(db, [runId])).get(runId) ?? null;
}

/**
 * The same for several runs in one statement (the board's waiting cards). Runs that hold a
 * lease or are not runnable are left out. The count of runs ahead within a key reads the
 * key's claim index up to the run, so the oldest runs of a long queue — the ones a column
 * shows first — are the cheapest.
 */
export async function runWaitPositions(db: Queryable, runIds: readonly string[]): Promise<Map<string, WaitPosition>> {
  const positions = new Map<string, WaitPosition>();
  if (runIds.length === 0) return positions;
  const ids = sql.join(
    runIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with r as (
        select id, fair_group, priority, model_endpoint, deadline, created_at from runs
        where id in (${ids}) and state in ('queued', 'running') and lease_token is null
      ),
      floor as (select min(vtime) as v from scheduling_keys where runnable + leased > 0)
      select r.id, r.model_endpoint, r.fair_group,
        (select count(*) from scheduling_lanes l join scheduling_keys k on k.key = l.key
          where l.runnable > 0 and l.model_endpoint = r.model_endpoint and l.key <> r.fair_group
            and (l.priority > r.priority or (l.priority = r.priority
              and (k.vtime < mine.vtime or (k.vtime = mine.vtime and l.key < r.fair_group))))) as keys_ahead,
        (select count(*) from runs x
          where x.fair_group = r.fair_group and x.priority = r.priority and x.state in ('queued', 'running')
            and x.lease_token is null and x.model_endpoint = r.model_endpoint and x.id <> r.id
            and (coalesce(x.deadline, 'infinity') < coalesce(r.deadline, 'infinity')
              or (coalesce(x.deadline, 'infinity') = coalesce(r.deadline, 'infinity') and x.created_at < r.created_at))) as ahead_in_key,
        mine.vtime > (select v from floor) + 1e-9 as over_share
      from r left join scheduling_keys mine on mine.key = r.fair_group`),
  );
  for (const row of rows) {
    positions.set(String(row.id), {
      resource: String(row.model_endpoint),
      key: String(row.fair_group),
      position: 1 + num(row.keys_ahead) + num(row.ahead_in_key),
      overShare: pgBool(row.over_share),
    });
  }
  return positions;
}

export function ordinal(n: number): string {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}

/** "3rd for default; key acme is over its share" */
export function describeWaitPosition(p: WaitPosition): string {
  return `${ordinal(p.position)} for ${p.resource}${p.overShare ? `; key ${p.key} is over its share` : ""}`;
}
