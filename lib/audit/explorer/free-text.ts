import "server-only";
import { and, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import { STATED_FLOOR } from "../seal-floor";
import { auditSearchText, searchIndexedThrough } from "../search-index";

/**
 * Above this many indexed matches a word is common: a list of its matches would cost more
 * than it saves, so its condition is the scan (facets, exports) and the explorer's pages take
 * its newest matches in order from the index (lib/audit/explorer/list.ts). At or below it the
 * matches are looked up in the trigram index and the events fetched by id.
 */
export const INDEXED_MATCH_LIMIT = 2_000;

/**
 * pg_trgm takes its trigrams from runs of letters and digits: a word without a run of three
 * (`"://"`, `a.b`) would read the whole index and recheck every row, so it is scanned instead.
 */
const INDEXABLE = /[\p{L}\p{N}]{3}/u;

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Words too common for a list of their matches, which the index can still hand out newest first. */
export interface CommonWords {
  /** Every sealed event up to this seq was in the index when the query was resolved. */
  through: number;
  /** The words' condition on audit_search (its lowercased body). */
  match: SQL;
}

/**
 * Events the index did not hold at `through`: sealed after it, refused by the sealer, or above its
 * floor (unsealed ones, and a few sealed that the text recheck treats like any other). Each arm is a
 * condition on the event's id, so the planner reads them by the primary key; a condition on the
 * seq would keep the view's join and walk the whole log for a rare word (0.8 s at 1M events).
 */
export function unindexed(through: number): SQL {
  return sql`(${auditLog.id} = any(array(select event_id from audit_seqs where seq > ${through}))
    or ${auditLog.id} = any(array(select event_id from audit_rejections))
    or ${auditLog.id} > ${STATED_FLOOR})`;
}

export interface FreeTextMatch {
  condition: SQL;
  /** Matched by reading every event's text (common or short words), not through the index. */
  byScan: boolean;
  /** Set when the words are common but indexable. */
  common: CommonWords | null;
}

/**
 * The condition for free-text words (all must match): through the search index when the
 * words are rare, by scanning the events' text when they are common or too short. Events
 * the indexer has not reached yet (unsealed, or sealed after its watermark) are always
 * matched by scan, so nothing committed is missed; the watermark is read before the
 * matches, so an event indexed in between is still in the scanned tail.
 */
export async function freeTextMatch(db: Queryable, words: readonly string[]): Promise<FreeTextMatch | null> {
  if (words.length === 0) return null;
  // The searchable text joins its fields with newlines: a phrase holding one must not match across two fields.
  const patterns = words.map((w) => `%${likeEscape(w.replace(/[\r\n]+/g, " "))}%`);
  const scan = and(...patterns.map((p) => sql`${auditSearchText} ilike ${p}`)) ?? sql`true`;
  if (!words.some((w) => INDEXABLE.test(w))) return { condition: scan, byScan: true, common: null };

  const through = await searchIndexedThrough(db);
  const match = sql.join(
    patterns.map((p) => sql`body like lower(${p})`),
    sql` and `,
  );
  // The index is asked for the first word it can serve (audit_search_ids, drizzle/0027); the others are rechecked.
  const first = words.findIndex((w) => INDEXABLE.test(w));
  const others = patterns.filter((_, i) => i !== first).map((p) => sql`lower(${p})`);
  const also = others.length > 0 ? sql`array[${sql.join(others, sql`, `)}]::text[]` : sql`'{}'::text[]`;
  const ids = rowsOf<{ id: number | string }>(
    await db.execute(
      sql`select audit_search_ids(lower(${patterns[first] ?? ""}), ${also}, ${INDEXED_MATCH_LIMIT + 1}) as id`,
    ),
  ).map((r) => Number(r.id));
  if (ids.length > INDEXED_MATCH_LIMIT) return { condition: scan, byScan: true, common: { through, match } };

  const tail = and(unindexed(through), scan) ?? scan;
  if (ids.length === 0) return { condition: tail, byScan: false, common: null };
  // One array parameter: the drivers plan each execution with its value, so the planner sees how
  // many ids there are and reads them by index (and, as a filter, hashes them).
  const indexed = sql`${auditLog.id} = any(${`{${ids.join(",")}}`}::bigint[])`;
  return { condition: or(indexed, tail) ?? tail, byScan: false, common: null };
}
