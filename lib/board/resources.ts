import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";

export interface ResourceRun {
  id: string;
  jobId: string;
  state: string;
  since: string;
}

export interface EndpointUsage {
  name: string;
  provider: string;
  model: string;
  /** Max concurrent turns across every instance (model_endpoints.max_concurrency). */
  capacity: number;
  /** Runs holding a live lease on the endpoint: a turn in flight. */
  inUse: number;
  /** Runnable runs held back because the endpoint is full (state_reason resource:<name>, or waiting on it). */
  waiting: number;
  /** Queued runs that will use this endpoint. */
  queued: number;
  /** Tokens per minute limit (null: none) and input + output tokens of turns started in the last minute. */
  tokensPerMinute: number | null;
  tokensLastMinute: number;
  holders: ResourceRun[];
  waiters: ResourceRun[];
}

const LIST = 20;

const isoOf = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

// Same predicates as lib/runtime/claim.ts: a live lease is unexpired; a resource wait is
// recorded in state_reason on the runnable run (or as a waiting run's reason).
const holding = sql`r.lease_token is not null and r.lease_expires_at > now() and not r.slot_released`;
const waitingFor = (endpoint: SQL) => sql`(
  (r.state in ('queued', 'running') and r.state_reason = 'resource:' || ${endpoint}
     and (r.lease_expires_at is null or r.lease_expires_at < now()))
  or (r.state = 'waiting' and r.state_reason = 'resource' and r.waiting_for = ${endpoint}))`;

/** Every configured model endpoint with its capacity, slots in use and who waits for it. */
export async function endpointUsage(db: Queryable): Promise<EndpointUsage[]> {
  const endpoints = rowsOf<{
    name: string;
    provider: string;
    model: string;
    capacity: number;
    tpm: number | null;
    tokens: string | number;
    in_use: string | number;
    waiting: string | number;
    queued: string | number;
  }>(
    await db.execute(sql`
      select e.name, e.provider, e.model, e.max_concurrency as capacity, e.tokens_per_minute as tpm,
        (select coalesce(sum(t.input_tokens + t.output_tokens), 0) from turns t join runs r on r.id = t.run_id
          where t.started_at > now() - interval '1 minute' and r.model_endpoint = e.name) as tokens,
        (select count(*) from runs r where r.model_endpoint = e.name and ${holding}) as in_use,
        (select count(*) from runs r where r.model_endpoint = e.name and ${waitingFor(sql`e.name`)}) as waiting,
        (select count(*) from runs r where r.model_endpoint = e.name and r.state = 'queued') as queued
      from model_endpoints e
      order by e.name`),
  );
  const out: EndpointUsage[] = [];
  for (const e of endpoints) {
    const holders = rowsOf<ResourceRun>(
      await db.execute(sql`
        select r.id, r.job_id as "jobId", r.state, ${isoOf("coalesce(t.started_at, r.updated_at)")} as since
        from runs r
        left join lateral (select started_at from turns where run_id = r.id and status = 'running' order by started_at desc limit 1) t on true
        where r.model_endpoint = ${e.name} and ${holding}
        order by since asc limit ${LIST}`),
    );
    const waiters = rowsOf<ResourceRun>(
      await db.execute(sql`
        select r.id, r.job_id as "jobId", r.state, ${isoOf("r.created_at")} as since
        from runs r
        where r.model_endpoint = ${e.name} and ${waitingFor(sql`${e.name}`)}
        order by r.created_at asc limit ${LIST}`),
    );
    out.push({
      name: e.name,
      provider: e.provider,
      model: e.model,
      capacity: Number(e.capacity),
      inUse: Number(e.in_use),
      waiting: Number(e.waiting),
      queued: Number(e.queued),
      tokensPerMinute: e.tpm === null ? null : Number(e.tpm),
      tokensLastMinute: Number(e.tokens),
      holders,
      waiters,
    });
  }
  return out;
}
