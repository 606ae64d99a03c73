import "server-only";
import { and, eq, inArray, not, or, sql, type SQL } from "drizzle-orm";
import { runs } from "@/db/schema";
import { columnKeyField, type ColumnCursor } from "@/lib/board-columns";
import { timeRangeHours, type TimeRange } from "@/lib/time-range";
import type { BoardFilters, ColumnId } from "./types";

/** Failed and timed-out runs of the last 7 days stay in Needs attention until handled, whatever the range. */
export const ATTENTION_DAYS = 7;
/** Done, before anyone picks a time range: runs finished in the last day. */
export const DEFAULT_DONE_RANGE: TimeRange = "24h";

// Spelled out: drizzle may leave the outer column unqualified, which would bind to r2.
export const retriedSql = sql<boolean>`exists (select 1 from runs as r2 where r2.retry_of = "runs"."id")`;

const finishedWithin = (interval: SQL) => sql`${runs.finishedAt} > now() - ${interval}`;
const failedStates = inArray(runs.state, ["failed", "timed_out"]);

/**
 * Which runs a column holds — the SQL twin of components/runs/board-columns.ts `columnOf`
 * (a running run with a pause requested is shown as paused; a retried failure is done with).
 * Done holds what finished within the board's time range (all time: no bound).
 */
export function columnWhere(range: TimeRange): Record<ColumnId, SQL> {
  const hours = timeRangeHours[range];
  return {
    queued: sql`${runs.state} = 'queued'`,
    running: sql`(${and(eq(runs.state, "running"), eq(runs.pauseRequested, false))})`,
    waiting: sql`${runs.state} = 'waiting'`,
    paused: sql`(${or(eq(runs.state, "paused"), and(eq(runs.state, "running"), eq(runs.pauseRequested, true)))})`,
    attention: sql`(${and(failedStates, not(retriedSql), finishedWithin(sql`make_interval(days => ${ATTENTION_DAYS})`))})`,
    done: sql`(${and(
      hours === null ? sql`${runs.finishedAt} is not null` : finishedWithin(sql`make_interval(hours => ${hours})`),
      or(inArray(runs.state, ["succeeded", "cancelled"]), and(failedStates, retriedSql)),
    )})`,
  };
}

/** Every run on the board, whatever its column. */
export function onBoardWhere(range: TimeRange): SQL {
  return sql`(${or(...Object.values(columnWhere(range)))})`;
}

const keyColumn = { createdAt: runs.createdAt, stateSince: runs.stateSince, finishedAt: runs.finishedAt } as const;

/**
 * A column's reading order, as `compareInColumn` sorts it in the browser: active columns
 * oldest first, Paused most recently paused first, finished columns newest first.
 */
export function columnOrder(column: ColumnId): SQL[] {
  const { field, descending } = columnKeyField[column];
  const at = keyColumn[field];
  return [descending ? sql`${at} desc` : sql`${at} asc`, sql`${runs.id} asc`];
}

/** The key's timestamp in full precision: the board's own fields stop at milliseconds, a cursor must not. */
export function columnKeySql(column: ColumnId): SQL<string> {
  const at = keyColumn[columnKeyField[column].field];
  return sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows after the cursor in the column's reading order. */
export function afterCursor(column: ColumnId, cursor: ColumnCursor): SQL {
  const { field, descending } = columnKeyField[column];
  const at = keyColumn[field];
  const time = sql`${cursor.at}::timestamptz`;
  // The outer bound alone is a range the (state, created_at) index can scan; the OR settles ties.
  return descending
    ? sql`(${at} <= ${time} and (${at} < ${time} or ${runs.id} > ${cursor.id}))`
    : sql`(${at} >= ${time} and (${at} > ${time} or ${runs.id} > ${cursor.id}))`;
}

/** The board's filters as SQL (the state filter narrows every column to that one state). */
export function filterWhere(filters: BoardFilters): SQL | undefined {
  return and(
    filters.job ? eq(runs.jobId, filters.job) : undefined,
    filters.owner ? sql`${runs.governance}->>'owner' = ${filters.owner}` : undefined,
    filters.risk ? sql`${runs.governance}->>'riskLevel' = ${filters.risk}` : undefined,
    filters.state ? eq(runs.state, filters.state) : undefined,
  );
}
