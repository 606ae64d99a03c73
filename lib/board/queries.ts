import "server-only";
import { and, asc, gt, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { pgBool, rowsOf } from "@/db/rows";
import { jobs, runs } from "@/db/schema";
import {
  afterCursor,
  columnKeySql,
  columnOrder,
  columnWhere,
  DEFAULT_DONE_RANGE,
  filterWhere,
  onBoardWhere,
  retriedSql,
} from "./column-sql";
import { boardColumnIds, COLUMN_WINDOW, decodeCursor, encodeCursor } from "@/lib/board-columns";
import type { TimeRange } from "@/lib/time-range";
import type { BoardDelta, BoardFilters, BoardJob, BoardPage, BoardRisk, BoardRun, BoardSnapshot } from "./types";
import type { ColumnId, ColumnWindows } from "./types";

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
  retried: retriedSql,
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
    retried: pgBool(row.retried),
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

/** One column's runs after a cursor (or from its start), one window long, and the cursor after them. */
async function columnWindow(
  db: Queryable,
  column: ColumnId,
  filters: BoardFilters,
  range: TimeRange,
  after?: { at: string; id: string },
): Promise<{ runs: BoardRun[]; next: string | null }> {
  const rows = await db
    .select({ ...columns, key: columnKeySql(column) })
    .from(runs)
    .where(and(columnWhere(range)[column], filterWhere(filters), after ? afterCursor(column, after) : undefined))
    .orderBy(...columnOrder(column))
    .limit(COLUMN_WINDOW + 1);
  const page = rows.slice(0, COLUMN_WINDOW);
  const last = page.at(-1);
  return {
    runs: page.map(({ key: _key, ...row }) => toBoardRun(row)),
    next: rows.length > COLUMN_WINDOW && last ? encodeCursor({ at: last.key, id: last.id }) : null,
  };
}

/** Runs per column under the filters, and on the whole board without them: one grouped scan. */
async function columnTotals(
  db: Queryable,
  filters: BoardFilters,
  range: TimeRange,
): Promise<{ totals: Record<ColumnId, number>; onBoard: number }> {
  const where = columnWhere(range);
  const which = sql.join(
    boardColumnIds.map((id) => sql`when ${where[id]} then ${id}`),
    sql` `,
  );
  const filtered = filterWhere(filters) ?? sql`true`;
  const rows = rowsOf<{ column: string; total: number | string; all: number | string }>(
    await db.execute(sql`
      select case ${which} end as "column",
             count(*) filter (where ${filtered}) as total,
             count(*) as "all"
        from runs
       where ${onBoardWhere(range)}
       group by 1`),
  );
  const totals = Object.fromEntries(boardColumnIds.map((id) => [id, 0])) as Record<ColumnId, number>;
  let onBoard = 0;
  for (const row of rows) {
    const id = boardColumnIds.find((c) => c === row.column);
    if (id) totals[id] = Number(row.total);
    onBoard += Number(row.all);
  }
  return { totals, onBoard };
}

/**
 * What the board opens with: the first window of every column under the filters (active
 * columns oldest first, finished ones newest first), every column's total, and the job
 * titles the cards need. A column's further runs come a page at a time (boardColumnPage).
 */
export async function boardSnapshot(
  db: Queryable,
  filters: BoardFilters = {},
  range: TimeRange = DEFAULT_DONE_RANGE,
): Promise<BoardSnapshot> {
  const cursor = await databaseNow(db);
  const out: BoardRun[] = [];
  const windows = {} as ColumnWindows;
  const { totals, onBoard } = await columnTotals(db, filters, range);
  for (const id of boardColumnIds) {
    const window = await columnWindow(db, id, filters, range);
    out.push(...window.runs);
    windows[id] = { total: Math.max(totals[id], window.runs.length), next: window.next };
  }
  return {
    kind: "snapshot",
    cursor,
    runs: out,
    jobs: await boardJobs(db),
    columns: windows,
    onBoard,
    truncated: boardColumnIds.some((id) => windows[id].next !== null),
  };
}

/** The next window of one column; null when `after` is not a cursor the board handed out. */
export async function boardColumnPage(
  db: Queryable,
  column: ColumnId,
  after: string,
  filters: BoardFilters = {},
  range: TimeRange = DEFAULT_DONE_RANGE,
): Promise<BoardPage | null> {
  const cursor = decodeCursor(after);
  if (!cursor) return null;
  const window = await columnWindow(db, column, filters, range, cursor);
  return { kind: "page", column, runs: window.runs, next: window.next };
}

/** Runs changed since the cursor; null when there are too many (answer a snapshot then). */
export async function boardDelta(
  db: Queryable,
  since: string,
  filters: BoardFilters = {},
  range: TimeRange = DEFAULT_DONE_RANGE,
): Promise<BoardDelta | null> {
  const cursor = await databaseNow(db);
  const rows = await db
    .select(columns)
    .from(runs)
    .where(gt(runs.updatedAt, sql`${since}::timestamptz - make_interval(secs => ${DELTA_OVERLAP_SECONDS})`))
    .orderBy(asc(runs.updatedAt))
    .limit(DELTA_CAP + 1);
  if (rows.length > DELTA_CAP) return null;
  // Totals move only when a row did: a quiet poll stays one indexed read.
  if (rows.length === 0) return { kind: "delta", cursor, runs: [] };
  return { kind: "delta", cursor, runs: rows.map(toBoardRun), ...(await columnTotals(db, filters, range)) };
}

/** A snapshot without a cursor, a delta with one (or a snapshot when the delta is too big). */
export async function boardUpdate(
  db: Queryable,
  since?: string,
  filters: BoardFilters = {},
  range: TimeRange = DEFAULT_DONE_RANGE,
): Promise<BoardSnapshot | BoardDelta> {
  if (since) {
    const delta = await boardDelta(db, since, filters, range);
    if (delta) return delta;
  }
  return boardSnapshot(db, filters, range);
}
