import "server-only";
import { and, asc, desc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Queryable } from "@/db/client";
import { pgBool } from "@/db/rows";
import { runStates, type RunState } from "@/db/schema/runs";
import { jobs, runs } from "@/db/schema";
import { runTextMatch } from "./search";
import type { RunListPage, RunListRow } from "./run-list-types";
import { timeRangeHours, timeRangeSchema, type TimeRange } from "@/lib/time-range";

export const runListSorts = ["created", "updated", "state", "job", "turns", "tokens"] as const;
/** The list's creation-time window is the cockpit's shared time range (lib/time-range). */
export const RUN_LIST_DEFAULT_RANGE = "7d" satisfies TimeRange;
/** The CSV export stops here and says so in its last line. */
export const EXPORT_CAP = 100_000;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** The list view's URL: the board's filters (job, owner, risk, state) plus words, a time range, sort and page. */
export const runListQuery = z.strictObject({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  job: z.preprocess(blankToUndefined, z.string().max(64).optional()),
  owner: z.preprocess(blankToUndefined, z.string().max(200).optional()),
  risk: z.preprocess(blankToUndefined, z.enum(["minimal", "limited", "high"]).optional()),
  state: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const states = v.split(",").map((s) => s.trim());
        const bad = states.filter((s) => !(runStates as readonly string[]).includes(s));
        if (bad.length > 0) {
          ctx.addIssue({
            code: "custom",
            message: `Unknown state: ${bad.join(", ")} (one of ${runStates.join(", ")})`,
          });
          return z.NEVER;
        }
        return states as RunState[];
      }),
  ),
  range: z.preprocess(blankToUndefined, timeRangeSchema.optional().default(RUN_LIST_DEFAULT_RANGE)),
  sort: z.preprocess(blankToUndefined, z.enum(runListSorts).optional().default("created")),
  dir: z.preprocess(blankToUndefined, z.enum(["asc", "desc"]).optional().default("desc")),
  page: z.coerce.number().int().min(1).max(100_000).optional().default(1),
  pageSize: z.coerce.number().int().min(10).max(200).optional().default(50),
});
export type RunListQuery = z.output<typeof runListQuery>;

const iso = (column: SQL) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const columns = {
  id: runs.id,
  title: runs.title,
  outcome: runs.outcome,
  jobId: runs.jobId,
  jobTitle: jobs.title,
  state: runs.state,
  reason: runs.stateReason,
  fairKey: runs.fairGroup,
  priority: runs.priority,
  owner: sql<string | null>`${runs.governance}->>'owner'`,
  risk: sql<string | null>`${runs.governance}->>'riskLevel'`,
  turnsUsed: runs.turnsUsed,
  tokensUsed: runs.tokensUsed,
  attempt: runs.attempt,
  pauseRequested: runs.pauseRequested,
  cancelRequested: runs.cancelRequested,
  retried: sql<boolean>`exists (select 1 from runs as r2 where r2.retry_of = "runs"."id")`,
  error: sql<string | null>`left(split_part(${runs.error}, E'\n', 1), 160)`,
  createdAt: iso(sql`${runs.createdAt}`),
  stateSince: iso(sql`${runs.stateSince}`),
  finishedAt: sql<
    string | null
  >`case when ${runs.finishedAt} is null then null else ${iso(sql`${runs.finishedAt}`)} end`,
};

function whereOf(query: RunListQuery): SQL | undefined {
  const filters: SQL[] = [];
  if (query.job) filters.push(eq(runs.jobId, query.job));
  if (query.owner) filters.push(sql`${runs.governance}->>'owner' = ${query.owner}`);
  if (query.risk) filters.push(sql`${runs.governance}->>'riskLevel' = ${query.risk}`);
  if (query.state) filters.push(inArray(runs.state, query.state));
  const hours = timeRangeHours[query.range];
  if (hours !== null) filters.push(gte(runs.createdAt, sql`now() - make_interval(hours => ${hours})`));
  if (query.q) filters.push(runTextMatch(query.q));
  return filters.length > 0 ? and(...filters) : undefined;
}

function orderOf(query: RunListQuery): SQL[] {
  const by = (column: AnyPgColumn) => (query.dir === "asc" ? asc(column) : desc(column));
  const key = {
    created: by(runs.createdAt),
    updated: by(runs.stateSince),
    state: by(runs.state),
    job: by(runs.jobId),
    turns: by(runs.turnsUsed),
    tokens: by(runs.tokensUsed),
  }[query.sort];
  // The id breaks ties, so a page boundary never shows a run twice or skips one.
  return [key, query.dir === "asc" ? asc(runs.id) : desc(runs.id)];
}

function toRow(row: Record<string, unknown>): RunListRow {
  return { ...(row as unknown as RunListRow), retried: pgBool(row.retried) };
}

/** One page of the list view, with the total for "41–60 of 1,234". */
export async function listRunPage(db: Queryable, query: RunListQuery): Promise<RunListPage> {
  const where = whereOf(query);
  const [rows, [count]] = await Promise.all([
    db
      .select(columns)
      .from(runs)
      .innerJoin(jobs, eq(jobs.id, runs.jobId))
      .where(where)
      .orderBy(...orderOf(query))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(runs)
      .where(where),
  ]);
  return { runs: rows.map(toRow), total: Number(count?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export const RUN_CSV_COLUMNS = [
  "id",
  "title",
  "job",
  "state",
  "reason",
  "outcome",
  "fair_share_key",
  "priority",
  "owner",
  "risk",
  "turns",
  "tokens",
  "attempt",
  "error",
  "created_at",
  "state_since",
  "finished_at",
] as const;

const exportColumns = {
  ...columns,
  // Microseconds: the keyset must not skip runs created within the same millisecond.
  cursorAt: sql<string>`to_char(${runs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

/** Every matching run (in the list's order, up to EXPORT_CAP), a page of rows at a time. */
export async function* exportRunRows(db: Queryable, query: RunListQuery): AsyncGenerator<RunListRow[]> {
  const batch = 1_000;
  let after: { createdAt: string; id: string } | null = null;
  let sent = 0;
  // Keyset on (created_at, id) in the chosen direction: offsets would slow down with every batch.
  const keyset = { ...query, sort: "created" as const };
  while (sent < EXPORT_CAP) {
    const where = whereOf(keyset);
    const cursor: SQL | undefined = after
      ? keyset.dir === "asc"
        ? sql`(${runs.createdAt}, ${runs.id}) > (${after.createdAt}::timestamptz, ${after.id})`
        : sql`(${runs.createdAt}, ${runs.id}) < (${after.createdAt}::timestamptz, ${after.id})`
      : undefined;
    const rows: (Record<string, unknown> & { id: string; cursorAt: string })[] = await db
      .select(exportColumns)
      .from(runs)
      .innerJoin(jobs, eq(jobs.id, runs.jobId))
      .where(cursor ? and(where, cursor) : where)
      .orderBy(...orderOf(keyset))
      .limit(Math.min(batch, EXPORT_CAP - sent));
    if (rows.length === 0) return;
    const last = rows[rows.length - 1];
    after = last ? { createdAt: last.cursorAt, id: last.id } : null;
    sent += rows.length;
    yield rows.map(({ cursorAt: _cursor, ...row }) => toRow(row));
    if (rows.length < batch) return;
  }
}

export function runCsvValues(r: RunListRow): unknown[] {
  return [
    r.id,
    r.title,
    r.jobId,
    r.state,
    r.reason,
    r.outcome,
    r.fairKey,
    r.priority,
    r.owner,
    r.risk,
    r.turnsUsed,
    r.tokensUsed,
    r.attempt,
    r.error,
    r.createdAt,
    r.stateSince,
    r.finishedAt,
  ];
}
