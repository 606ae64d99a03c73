import "server-only";
import { and, asc, desc, gt, inArray, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { jobs, runs } from "@/db/schema";
import type { BoardDelta, BoardJob, BoardRisk, BoardRun, BoardSnapshot } from "./types";

/** Every active run is on the board up to this many; beyond it the board says so. */
export const ACTIVE_CAP = 10_000;
/** Failed and timed-out runs of the last week stay visible until handled. */
export const ATTENTION_CAP = 1_000;
/** Done: succeeded and cancelled runs of the last day, newest first. */
export const DONE_CAP = 200;
/**
 * A delta re-reads rows changed this long before the cursor: updated_at is the writing
 * transaction's start time, so a row committed just after the previous read can carry an
 * older timestamp. Runtime transactions are short; the overlap covers them.
 */
export const DELTA_OVERLAP_SECONDS = 10;
/** A delta larger than this answers a fresh snapshot instead. */
export const DELTA_CAP = 2_000;

const iso = (column: SQL | typeof runs.createdAt) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const columns = {
  id: runs.id,
  jobId: runs.jobId,
  title: runs.title,
  outcome: runs.outcome,
  state: runs.state,
  reason: runs.stateReason,
  waitingFor: runs.waitingFor,
  fairKey: runs.fairGroup,
  priority: runs.priority,
  risk: sql<string | null>`${runs.governance}->>'riskLevel'`,
  owner: sql<string | null>`${runs.governance}->>'owner'`,
  turnsUsed: runs.turnsUsed,
  budgetTurns: runs.budgetTurns,
  tokensUsed: runs.tokensUsed,
  budgetTokens: runs.budgetTokens,
  attempt: runs.attempt,
  pauseRequested: runs.pauseRequested,
  cancelRequested: runs.cancelRequested,
  retryOf: runs.retryOf,
  // Spelled out: drizzle may leave the outer column unqualified, which would bind to r2.
  retried: sql<boolean>`exists (select 1 from runs as r2 where r2.retry_of = "runs"."id")`,
  rejectedActions: sql<number>`(select count(*)::int from approvals as a where a.run_id = "runs"."id" and a.status = 'rejected')`,
  error: sql<string | null>`left(split_part(${runs.error}, E'\n', 1), 160)`,
  createdAt: iso(sql`${runs.createdAt}`),
  updatedAt: iso(sql`${runs.updatedAt}`),
  stateSince: iso(sql`${runs.stateSince}`),
  finishedAt: sql<
    string | null
  >`case when ${runs.finishedAt} is null then null else ${iso(sql`${runs.finishedAt}`)} end`,
};

type Row = { [K in keyof typeof columns]: unknown };

function risk(value: unknown): BoardRisk | null {
  return value === "minimal" || value === "limited" || value === "high" ? value : null;
}

function toBoardRun(row: Row): BoardRun {
  return {
    ...(row as unknown as BoardRun),
    risk: risk(row.risk),
    retried: row.retried === true || row.retried === "t",
    rejectedActions: Number(row.rejectedActions ?? 0),
  };
}

/** The database clock, as the next cursor (taken before the read, so nothing slips between). */
async function databaseNow(db: Queryable): Promise<string> {
  const [row] = rowsOf<{ now: string }>(
    await db.execute(sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`),
  );
  if (!row) throw new Error("database clock unavailable");
  return row.now;
}

async function boardJobs(db: Queryable): Promise<BoardJob[]> {
  const rows = await db
    .select({
      id: jobs.id,
      title: jobs.title,
      owner: sql<string | null>`${jobs.declaration}->'governance'->>'owner'`,
      risk: sql<string | null>`${jobs.declaration}->'governance'->>'riskLevel'`,
    })
    .from(jobs)
    .orderBy(asc(jobs.title));
  return rows.map((r) => ({ ...r, risk: risk(r.risk) }));
}

/**
 * Everything the board shows: every active run (queued, running, waiting, paused), failed
 * and timed-out runs of the last 7 days, and the newest succeeded/cancelled runs of the
 * last 24 hours — plus the job titles the cards need.
 */
export async function boardSnapshot(db: Queryable): Promise<BoardSnapshot> {
  const cursor = await databaseNow(db);
  const active = await db
    .select(columns)
    .from(runs)
    .where(inArray(runs.state, ["queued", "running", "waiting", "paused"]))
    .orderBy(asc(runs.createdAt))
    .limit(ACTIVE_CAP + 1);
  const attention = await db
    .select(columns)
    .from(runs)
    .where(and(inArray(runs.state, ["failed", "timed_out"]), sql`${runs.finishedAt} > now() - interval '7 days'`))
    .orderBy(desc(runs.finishedAt))
    .limit(ATTENTION_CAP);
  const done = await db
    .select(columns)
    .from(runs)
    .where(and(inArray(runs.state, ["succeeded", "cancelled"]), sql`${runs.finishedAt} > now() - interval '24 hours'`))
    .orderBy(desc(runs.finishedAt))
    .limit(DONE_CAP);
  return {
    kind: "snapshot",
    cursor,
    runs: [...active.slice(0, ACTIVE_CAP), ...attention, ...done].map(toBoardRun),
    jobs: await boardJobs(db),
    truncated: active.length > ACTIVE_CAP,
  };
}

/** Runs changed since the cursor; null when there are too many (answer a snapshot then). */
export async function boardDelta(db: Queryable, since: string): Promise<BoardDelta | null> {
  const cursor = await databaseNow(db);
  const rows = await db
    .select(columns)
    .from(runs)
    .where(gt(runs.updatedAt, sql`${since}::timestamptz - make_interval(secs => ${DELTA_OVERLAP_SECONDS})`))
    .orderBy(asc(runs.updatedAt))
    .limit(DELTA_CAP + 1);
  if (rows.length > DELTA_CAP) return null;
  return { kind: "delta", cursor, runs: rows.map(toBoardRun) };
}

/** A snapshot without a cursor, a delta with one (or a snapshot when the delta is too big). */
export async function boardUpdate(db: Queryable, since?: string): Promise<BoardSnapshot | BoardDelta> {
  if (since) {
    const delta = await boardDelta(db, since);
    if (delta) return delta;
  }
  return boardSnapshot(db);
}
