import "server-only";
import { getTableColumns, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { runs } from "@/db/schema";
import { schedulingConfig } from "@/lib/scheduling/config";
import type { RunRow } from "./transitions";

export interface ClaimCandidate {
  /** The run locked FOR UPDATE, or undefined when another claimer holds the chosen one. */
  run: RunRow | undefined;
  /** The run the policy chose (skip it next time if it was locked). */
  candidateId: string | null;
  /** The key the policy chose in the top class (skip it if it yielded no run). */
  pickedKey: string | null;
}

/**
 * The claim policy in SQL, one round trip (the rules are lib/scheduling/policy.ts):
 * 1. a run whose lease expired (its worker died) is recovered first;
 * 2. else a run below the top priority class that has been runnable for the ageing time,
 *    oldest first (one index probe per class below the top);
 * 3. else, in the top class, the key with the least virtual time (scheduling_lanes ⋈
 *    scheduling_keys: a table the size of the key set), then within the key the earliest
 *    deadline, then the oldest run (runs_key_claim_idx, in index order).
 * Runnable: queued, or running without a lease. The row is locked FOR UPDATE SKIP LOCKED:
 * a claimer never blocks on another. Nothing here reads the runnable set in bulk.
 */
export async function selectClaimCandidate(tx: Tx, options: ClaimQueryOptions): Promise<ClaimCandidate> {
  const rows = rowsOf<Record<string, unknown>>(await tx.execute(claimCandidateSql(options)));
  const row = rows[0];
  if (!row) return { run: undefined, candidateId: null, pickedKey: null };
  const candidateId = (row.__candidate as string | null) ?? null;
  const pickedKey = (row.__picked_key as string | null) ?? null;
  const run = row.id ? mapRunRow(row) : undefined;
  return { run, candidateId, pickedKey };
}

export interface ClaimQueryOptions {
  excludeEndpoints: readonly string[];
  /** Only runs of this endpoint (a slot handed over at a checkpoint, claim.ts), or any. */
  onlyEndpoint?: string | null;
  skipIds: readonly string[];
  skipKeys: readonly string[];
}

/** The claim statement (exported for EXPLAIN in bench/fairness). */
export function claimCandidateSql(options: ClaimQueryOptions) {
  const { ageingMs } = schedulingConfig();
  const eps = sqlTextArray(options.excludeEndpoints);
  const ids = sqlTextArray(options.skipIds);
  const keys = sqlTextArray(options.skipKeys);
  const only = options.onlyEndpoint ?? null;
  const lane = sql`(${only}::text is null or l.model_endpoint = ${only}::text)`;
  const ofRun = sql`(${only}::text is null or r.model_endpoint = ${only}::text)`;
  return sql`
      with top as (
        select l.priority as p from scheduling_lanes l
        where l.runnable > 0 and l.model_endpoint <> all(${eps}) and l.key <> all(${keys}) and ${lane}
        order by l.priority desc limit 1
      ),
      expired as (
        select r.id from runs r
        where r.lease_token is not null and r.lease_expires_at < now() and r.state = 'running'
          and r.model_endpoint <> all(${eps}) and r.id <> all(${ids}) and ${ofRun}
        order by r.lease_expires_at limit 1
      ),
      aged as (
        select a.id from (
          select distinct l.priority from scheduling_lanes l
          where l.runnable > 0 and l.priority < (select p from top) and l.model_endpoint <> all(${eps}) and ${lane}
        ) c
        cross join lateral (
          select r.id, r.runnable_since from runs r
          where r.state in ('queued', 'running') and r.lease_token is null and r.priority = c.priority
            and r.model_endpoint <> all(${eps}) and r.id <> all(${ids}) and ${ofRun}
          order by r.runnable_since limit 1
        ) a
        where a.runnable_since <= now() - ${ageingMs}::int * interval '1 millisecond'
        order by a.runnable_since limit 1
      ),
      picked_key as (
        select l.key from scheduling_lanes l join scheduling_keys k on k.key = l.key
        where l.runnable > 0 and l.priority = (select p from top)
          and l.model_endpoint <> all(${eps}) and l.key <> all(${keys}) and ${lane}
        order by k.vtime, l.key limit 1
      ),
      keyed as (
        select r.id from runs r
        where r.fair_group = (select key from picked_key) and r.priority = (select p from top)
          and r.state in ('queued', 'running') and r.lease_token is null
          and r.model_endpoint <> all(${eps}) and r.id <> all(${ids}) and ${ofRun}
        order by r.deadline asc nulls last, r.created_at asc limit 1
      ),
      cand as materialized (
        select coalesce((select id from expired), (select id from aged), (select id from keyed)) as id,
               (select key from picked_key) as picked_key
      )
      select cand.id as "__candidate", cand.picked_key as "__picked_key", locked.*
      from cand left join lateral (
        -- NO KEY UPDATE: a tool transaction of a stopped worker holds KEY SHARE on the run (its
        -- foreign keys), and that must not hide the run from the worker that rescues it.
        -- The runnable test is repeated here: the CTEs read the statement's snapshot, and a run
        -- another claimer took (and committed) since then must not come back as a "recovery".
        -- Postgres re-checks this WHERE against the row's newest version when it locks it.
        select * from runs
        where runs.id = cand.id
          and runs.state in ('queued', 'running')
          and (runs.lease_token is null or runs.lease_expires_at < now())
        for no key update skip locked
      ) locked on true`;
}

/** A text[] parameter (an empty array matches nothing in `<> all(...)`, so it excludes nothing). */
function sqlTextArray(values: readonly string[]) {
  return sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`}::text[]`;
}

const columns = Object.entries(getTableColumns(runs));

/** A raw runs row (snake_case, driver values) as drizzle would return it. */
export function mapRunRow(raw: Record<string, unknown>): RunRow {
  const out: Record<string, unknown> = {};
  for (const [field, column] of columns) {
    const value = raw[column.name];
    out[field] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as RunRow;
}
