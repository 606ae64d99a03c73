import "server-only";
import { and, desc, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import {
  auditFilterConditions,
  listAuditEvents,
  pageLimit,
  toAuditPage,
  type AuditListFilter,
  type AuditPage,
} from "../queries";
import { newestAuditEvents } from "../newest";
import type { AuditEventRow } from "../row";
import { unindexed, type CommonWords } from "./free-text";
import type { IdRange, ResolvedAuditQuery } from "./search";

/**
 * Events a page of a common word reads newest first before it asks the index: a word that
 * is common among recent events fills a page here in a few milliseconds.
 */
export const RECENT_WINDOW = 20_000;

/**
 * When the rest of the query matches at most this many older events, their text is tested
 * one by one (about 1.4 µs an event); above it, the index hands out the word's matches newest
 * first and each is checked against the rest of the query.
 */
export const NARROW_LIMIT = 50_000;

function readEvents(db: Queryable, conditions: readonly SQL[], limit: number): Promise<AuditEventRow[]> {
  return newestAuditEvents(db, and(...conditions), limit);
}

async function countUpTo(db: Queryable, conditions: readonly SQL[], cap: number): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(
      sql`select count(*) as n from (select 1 from ${auditLog} where ${and(...conditions) ?? sql`true`} limit ${cap + 1}) x`,
    ),
  );
  return Number(row?.n ?? 0);
}

/**
 * The newest `limit` events matching `conditions` among the index's matches of `common`,
 * at or below `below`: the matches are sorted by event id (the index holds them unordered,
 * so this reads every match: ~0.2 µs each) and probed one by one, newest first, until the
 * page is full. The probe is a subquery the planner cannot flatten, so it stays one primary-key
 * lookup a match instead of becoming a scan of everything the conditions match.
 */
async function newestIndexed(
  db: Queryable,
  common: CommonWords,
  conditions: readonly SQL[],
  range: { below: number; min: number | null },
  limit: number,
): Promise<number[]> {
  const bounds = range.min === null ? sql`` : sql` and event_id >= ${range.min}`;
  const rows = rowsOf<{ id: number | string }>(
    await db.execute(sql`
      select e.id from (
        select event_id from audit_search where ${common.match} and event_id <= ${range.below}${bounds}
        order by event_id desc offset 0
      ) s
      cross join lateral (select ${auditLog.id} from ${auditLog} where ${auditLog.id} = s.event_id and ${and(...conditions) ?? sql`true`} limit 1) e
      order by s.event_id desc limit ${limit}`),
  );
  return rows.map((r) => Number(r.id));
}

/** Merges newest-first lists (which may share events) into the newest `limit`, newest first. */
function newestOf(lists: readonly (readonly AuditEventRow[])[], limit: number): AuditEventRow[] {
  const byId = new Map<number, AuditEventRow>();
  for (const list of lists) for (const row of list) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}

/**
 * The page older than the newest window for a common word: scan what the rest of the query
 * matches when that is narrow; otherwise the index's matches in order, merged with the events
 * the index did not hold yet (unsealed or sealed since), which are matched by scan.
 */
async function olderMatches(
  db: Queryable,
  byScan: NonNullable<ResolvedAuditQuery["byScan"]> & { common: CommonWords },
  conditions: readonly SQL[],
  range: { below: number; ids: IdRange; narrowLimit: number },
  limit: number,
): Promise<AuditEventRow[]> {
  if ((await countUpTo(db, conditions, range.narrowLimit)) <= range.narrowLimit)
    return readEvents(db, [...conditions, byScan.text], limit);
  const ids = await newestIndexed(db, byScan.common, conditions, { below: range.below, min: range.ids.min }, limit);
  const indexed = ids.length > 0 ? await readEvents(db, [inArray(auditLog.id, ids)], ids.length) : [];
  const tail = await readEvents(db, [...conditions, byScan.text, unindexed(byScan.common.through)], limit);
  return newestOf([indexed, tail], limit);
}

/**
 * A page of the explorer: the filter's fields AND the resolved query (`q`), newest first.
 * A common indexable word is looked for among the newest RECENT_WINDOW events first; when
 * the page is not full there, the older part comes from `olderMatches`, so a word whose
 * matches are all old costs about one read of its matches in the index, not a scan of
 * every newer event.
 */
export async function listAuditQuery(
  db: Queryable,
  query: ResolvedAuditQuery | null,
  filter: Omit<AuditListFilter, "extra">,
  tuning: { recentWindow?: number; narrowLimit?: number } = {},
): Promise<AuditPage> {
  const byScan = query?.byScan;
  if (!query || !byScan?.common) return listAuditEvents(db, { ...filter, extra: query?.conditions });
  const common = byScan.common;
  const limit = pageLimit(filter);
  const rest = [...auditFilterConditions(filter), ...byScan.others];

  const top = filter.cursor ?? (await newestId(db)) + 1;
  // The window ends where the query's events do: below the cursor and at the end of an until: window.
  const upper = Math.min(top - 1, byScan.ids.max ?? Number.MAX_SAFE_INTEGER);
  const floor = upper - (tuning.recentWindow ?? RECENT_WINDOW);
  const recent = await readEvents(db, [...rest, byScan.text, gt(auditLog.id, floor)], limit + 1);
  if (recent.length > limit || floor <= 0) return toAuditPage(recent, limit);

  const older = await olderMatches(
    db,
    { ...byScan, common },
    [...rest, lte(auditLog.id, floor)],
    { below: floor, ids: byScan.ids, narrowLimit: tuning.narrowLimit ?? NARROW_LIMIT },
    limit + 1 - recent.length,
  );
  return toAuditPage([...recent, ...older], limit);
}

async function newestId(db: Queryable): Promise<number> {
  const [row] = await db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  return row?.id ?? 0;
}
