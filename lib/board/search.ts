import "server-only";
import { and, desc, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { jobs, runs, runSearchText } from "@/db/schema";
import type { SearchResult } from "./search-types";

/** The command palette's query: a run id prefix, words of a title, a job, a customer. */
export const searchQuery = z.strictObject({
  q: z.string().trim().min(1, "Type something to search for").max(200),
  limit: z.coerce.number().int().min(1).max(50).optional().default(10),
});
export type SearchQuery = z.output<typeof searchQuery>;

/** `abcd1234ef` (the short id with more digits) → `abcd1234-ef`: ids are stored with their dashes. */
export function idPrefixOf(q: string): string | null {
  const hex = q.toLowerCase().replace(/-/g, "");
  if (!/^[0-9a-f]{4,32}$/.test(hex)) return null;
  const cuts = [8, 12, 16, 20];
  let out = "";
  for (let i = 0; i < hex.length; i++) {
    if (cuts.includes(i)) out += "-";
    out += hex[i];
  }
  return out;
}

/** LIKE's wildcards in what a person typed are literal. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The smallest string above every id starting with `prefix` (its last hex digit's successor). */
function prefixEnd(prefix: string): string {
  const last = prefix.at(-1) ?? "0";
  const next = last === "9" ? "a" : String.fromCharCode(last.charCodeAt(0) + 1);
  return prefix.slice(0, -1) + next;
}

/** Ids starting with `prefix`, as a primary-key range (LIKE 'x%' uses no index under a non-C collation). */
function idPrefixMatch(prefix: string): SQL | undefined {
  return and(gte(runs.id, prefix), lt(runs.id, prefixEnd(prefix)), sql`${runs.id} like ${`${prefix}%`}`);
}

// The indexed expression (runs_search_trgm_idx), qualified: the palette joins jobs, which has a title too.
const searchText = sql.raw(runSearchText("runs"));

/**
 * What "find this text" means for a run, in the palette and the list view alike: words of
 * its title, its job id, its fair-share key (the customer's domain), the input's customer
 * address — or the start of its id. The text is first looked up in the trigram index over the
 * four fields joined (a field holding the text means the joined text holds it); each field is
 * then checked alone, so text spanning two fields never matches.
 */
export function runTextMatch(q: string): SQL {
  const text = `%${likeEscape(q)}%`;
  const prefix = idPrefixOf(q);
  const fields = or(
    ilike(runs.title, text),
    ilike(runs.jobId, text),
    ilike(runs.fairGroup, text),
    sql`${runs.input}->>'customer' ilike ${text}`,
  );
  const words = sql`(${searchText} ilike ${text} and ${fields})`;
  return prefix ? sql`(${or(words, idPrefixMatch(prefix))})` : words;
}

const hitColumns = {
  id: runs.id,
  title: runs.title,
  jobId: runs.jobId,
  jobTitle: jobs.title,
  state: runs.state,
  fairKey: runs.fairGroup,
  customer: sql<string | null>`${runs.input}->>'customer'`,
  createdAt: sql<string>`to_char(${runs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

function runHits(db: Queryable, where: SQL | undefined, limit: number) {
  return db
    .select(hitColumns)
    .from(runs)
    .innerJoin(jobs, sql`${jobs.id} = ${runs.jobId}`)
    .where(where)
    .orderBy(desc(runs.createdAt))
    .limit(limit);
}

/**
 * Newest matching runs first. An id prefix is looked up on the primary key first (ids are
 * random, so reading every title for one would be waste); any text matches the title, the job
 * id, the fair-share key (the customer's domain) and the input's customer address.
 */
export async function searchRuns(db: Queryable, query: SearchQuery): Promise<SearchResult> {
  const text = `%${likeEscape(query.q)}%`;
  const prefix = idPrefixOf(query.q);
  const jobHits = db
    .select({ id: jobs.id, title: jobs.title })
    .from(jobs)
    .where(sql`${jobs.removedAt} is null and (${jobs.title} ilike ${text} or ${jobs.id} ilike ${text})`)
    .orderBy(jobs.title)
    .limit(5);
  const byId = prefix ? await runHits(db, idPrefixMatch(prefix), query.limit) : [];
  // A short id (8 hex digits or more) names one run; fewer ("2024", "cafe") may as well be words.
  if (byId.length > 0 && (prefix?.replace(/-/g, "").length ?? 0) >= 8) return { runs: byId, jobs: await jobHits };
  const [found, jobRows] = await Promise.all([runHits(db, runTextMatch(query.q), query.limit), jobHits]);
  const seen = new Set(byId.map((r) => r.id));
  return { runs: [...byId, ...found.filter((r) => !seen.has(r.id))].slice(0, query.limit), jobs: jobRows };
}
