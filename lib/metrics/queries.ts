import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { UNSEALED_EVENT } from "@/lib/audit/seal-floor";

/**
 * The scrape's database reads. Gauges are GROUP BYs over small or indexed sets (live runs
 * by runs_state_idx, live cards, lock rows, the unsealed-audit partial index, the endpoint
 * table); counters and histograms tail the finished rows of runs, turns and tool_calls by
 * their partial (finished_at, id) indexes, one bounded page per scrape.
 */

export interface TailCursor {
  /** finished_at as Postgres text: exact to the microsecond, unlike a JS Date. */
  at: string;
  id: string;
}

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** The cursor a new scraper starts from: rows that finished before it are not counted. */
export async function startCursor(db: Queryable, settleSeconds: number): Promise<TailCursor> {
  const [row] = rowsOf<{ at: string }>(
    await db.execute(sql`select (now() - make_interval(secs => ${settleSeconds}))::text as at`),
  );
  if (!row) throw new Error("now() returned no row");
  return { at: row.at, id: "" };
}

/**
 * Keyset page over a finished_at tail: after the cursor, and only rows that finished at
 * least settleSeconds ago — finished_at is stamped inside the writing transaction, so a
 * row may commit a moment after its stamp; the margin lets it land before the cursor passes.
 */
function tailWhere(alias: SQL, idColumn: SQL, cursor: TailCursor, settleSeconds: number): SQL {
  return sql`${alias}.finished_at is not null
    and (${alias}.finished_at, ${idColumn}) > (${cursor.at}::timestamptz, ${cursor.id})
    and ${alias}.finished_at <= now() - make_interval(secs => ${settleSeconds})`;
}

export interface FinishedRun {
  cursorAt: string;
  id: string;
  jobId: string;
  state: string;
}

export async function finishedRunsSince(
  db: Queryable,
  cursor: TailCursor,
  settleSeconds: number,
  limit: number,
): Promise<FinishedRun[]> {
  const rows = rowsOf<{ at: string; id: string; job_id: string; state: string }>(
    await db.execute(sql`
      select r.finished_at::text as at, r.id, r.job_id, r.state
      from runs r
      where ${tailWhere(sql`r`, sql`r.id`, cursor, settleSeconds)}
      order by r.finished_at, r.id
      limit ${limit}`),
  );
  return rows.map((r) => ({ cursorAt: r.at, id: r.id, jobId: r.job_id, state: r.state }));
}

export interface FinishedTurn {
  cursorAt: string;
  id: string;
  jobId: string;
  endpoint: string;
  status: string;
  fairKey: string | null;
  seconds: number;
  modelMs: number | null;
  waitMs: number | null;
}

export async function finishedTurnsSince(
  db: Queryable,
  cursor: TailCursor,
  settleSeconds: number,
  limit: number,
): Promise<FinishedTurn[]> {
  const rows = rowsOf<{
    at: string;
    id: string;
    job_id: string;
    endpoint: string;
    status: string;
    fair_key: string | null;
    seconds: number | string;
    model_ms: number | string | null;
    wait_ms: number | string | null;
  }>(
    await db.execute(sql`
      select t.finished_at::text as at, t.id, r.job_id, r.model_endpoint as endpoint, t.status, t.fair_key,
        greatest(0, extract(epoch from t.finished_at - t.started_at))::float8 as seconds, t.model_ms, t.wait_ms
      from turns t join runs r on r.id = t.run_id
      where ${tailWhere(sql`t`, sql`t.id`, cursor, settleSeconds)}
      order by t.finished_at, t.id
      limit ${limit}`),
  );
  return rows.map((r) => ({
    cursorAt: r.at,
    id: r.id,
    jobId: r.job_id,
    endpoint: r.endpoint,
    status: r.status,
    fairKey: r.fair_key,
    seconds: Number(r.seconds),
    modelMs: r.model_ms === null ? null : Number(r.model_ms),
    waitMs: r.wait_ms === null ? null : Number(r.wait_ms),
  }));
}

export interface FinishedToolCall {
  cursorAt: string;
  id: string;
  tool: string;
  status: string;
  durationMs: number | null;
}

export async function finishedToolCallsSince(
  db: Queryable,
  cursor: TailCursor,
  settleSeconds: number,
  limit: number,
): Promise<FinishedToolCall[]> {
  const rows = rowsOf<{ at: string; key: string; tool: string; status: string; duration_ms: number | string | null }>(
    await db.execute(sql`
      select c.finished_at::text as at, c.key, c.tool, c.status, c.duration_ms
      from tool_calls c
      where ${tailWhere(sql`c`, sql`c.key`, cursor, settleSeconds)}
      order by c.finished_at, c.key
      limit ${limit}`),
  );
  return rows.map((r) => ({
    cursorAt: r.at,
    id: r.key,
    tool: r.tool,
    status: r.status,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  }));
}

/** Runs not yet finished by job and state, over runs_state_idx (terminal runs are the counter's). */
export async function liveRunCounts(db: Queryable): Promise<{ jobId: string; state: string; count: number }[]> {
  const rows = rowsOf<{ job_id: string; state: string; n: number | string }>(
    await db.execute(sql`
      select job_id, state, count(*) as n from runs
      where state in ('queued', 'running', 'waiting', 'paused')
      group by job_id, state`),
  );
  return rows.map((r) => ({ jobId: r.job_id, state: r.state, count: num(r.n) }));
}

export async function jobIds(db: Queryable): Promise<string[]> {
  return rowsOf<{ id: string }>(await db.execute(sql`select id from jobs`)).map((r) => r.id);
}

export interface EndpointUse {
  endpoint: string;
  maxConcurrency: number;
  tokensPerMinute: number | null;
  slotsInUse: number;
  tokensLastMinute: number;
  windowUsed: number | null;
}

/**
 * Per endpoint: live slot-holding leases (runs_endpoint_lease_idx, as the claim counts
 * them), tokens of turns finished in the last minute (turns_finished_idx) and, for a
 * limited endpoint, its current minute window in resource_windows (the scheduler's own count).
 */
export async function endpointUse(db: Queryable): Promise<EndpointUse[]> {
  const rows = rowsOf<{
    name: string;
    max_concurrency: number | string;
    tokens_per_minute: number | string | null;
    in_use: number | string;
    tokens: number | string | null;
    window_used: number | string | null;
  }>(
    await db.execute(sql`
      with slots as (
        select model_endpoint, count(*) as n from runs
        where lease_token is not null and lease_expires_at > now() and not slot_released
        group by model_endpoint
      ), recent as (
        select r.model_endpoint, sum(t.input_tokens + t.output_tokens) as n
        from turns t join runs r on r.id = t.run_id
        where t.finished_at is not null and t.finished_at > now() - interval '60 seconds'
        group by r.model_endpoint
      )
      select e.name, e.max_concurrency, e.tokens_per_minute, coalesce(s.n, 0) as in_use, coalesce(x.n, 0) as tokens,
        w.used as window_used
      from model_endpoints e
      left join slots s on s.model_endpoint = e.name
      left join recent x on x.model_endpoint = e.name
      left join resource_windows w on w.resource = 'endpoint:' || e.name and w.scope = '*'
        and w.window_start = date_trunc('minute', now())
      order by e.name`),
  );
  return rows.map((r) => ({
    endpoint: r.name,
    maxConcurrency: num(r.max_concurrency),
    tokensPerMinute: r.tokens_per_minute === null ? null : Number(r.tokens_per_minute),
    slotsInUse: num(r.in_use),
    tokensLastMinute: num(r.tokens),
    windowUsed: r.window_used === null ? null : Number(r.window_used),
  }));
}

export interface AuditLag {
  /** The highest sealed seq: seq is gapless from 1, so this is how many events the log holds. */
  sealed: number;
  unsealed: number;
  oldestUnsealedSeconds: number;
}

/** max(seq) by audit_seqs' key; the unsealed ones above the sealer's floor (lib/audit/health.ts). */
export async function auditLag(db: Queryable): Promise<AuditLag> {
  const [row] = rowsOf<{ sealed: number | string | null; unsealed: number | string; oldest: number | string | null }>(
    await db.execute(sql`
      with unsealed as materialized (
        select e.id, e.ts from audit_events e
        where ${UNSEALED_EVENT})
      select (select max(seq) from audit_seqs) as sealed,
        (select count(*) from unsealed) as unsealed,
        (select greatest(0, extract(epoch from now() - ts))::float8 from unsealed order by id limit 1) as oldest`),
  );
  return { sealed: num(row?.sealed), unsealed: num(row?.unsealed), oldestUnsealedSeconds: num(row?.oldest) };
}

export async function liveFlashcards(db: Queryable): Promise<{ kind: string; state: string; count: number }[]> {
  const rows = rowsOf<{ kind: string; state: string; n: number | string }>(
    await db.execute(sql`
      select kind, state, count(*) as n from flashcards where state in ('open', 'snoozed') group by kind, state`),
  );
  return rows.map((r) => ({ kind: r.kind, state: r.state, count: num(r.n) }));
}

/** memory_locks holds only live requests (a finished run's rows go), so this is small. */
export async function lockRequests(
  db: Queryable,
): Promise<{ held: number; waiting: number; oldestWaitSeconds: number }> {
  const [row] = rowsOf<{ held: number | string; waiting: number | string; oldest: number | string | null }>(
    await db.execute(sql`
      select count(*) filter (where status = 'held') as held,
        count(*) filter (where status = 'waiting') as waiting,
        greatest(0, extract(epoch from now() - min(requested_at) filter (where status = 'waiting')))::float8 as oldest
      from memory_locks where status in ('held', 'waiting')`),
  );
  return { held: num(row?.held), waiting: num(row?.waiting), oldestWaitSeconds: num(row?.oldest) };
}
