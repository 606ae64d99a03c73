import "server-only";
import { sql } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import { underTryLock } from "./batch-loop";

/** Transaction-scoped advisory lock of the instance indexing a batch ("fdsrch"). */
export const SEARCH_INDEX_LOCK_KEY = 0x666473726368;

/**
 * An event's searchable text: its payload, actor label and subject id, one per line (the SQL
 * function audit_search_text, drizzle/0024, which also checks every row the index receives).
 * The index stores it lowercased and is asked with LIKE on the lowercased word, which is what
 * ILIKE does for UTF-8 text, without folding the case of every candidate again (a recheck
 * ~4× faster); the explorer matches events not indexed yet with ILIKE on this expression,
 * so a word finds the same events whichever way they are looked up.
 */
export const auditSearchText = sql`audit_search_text(${auditLog.payload}, ${auditLog.actorLabel}, ${auditLog.subjectId})`;

export interface SearchIndexResult {
  /** Events added to the index by this batch. */
  indexed: number;
  /** Highest seq indexed after it. */
  indexedThrough: number;
}

/**
 * Indexes the next `maxEvents` sealed events after the highest seq already indexed, in one
 * transaction. Seqs are gapless and a sealed batch commits whole, so the index always holds a
 * prefix 1..indexedThrough of the log (its insert trigger refuses anything else). Returns null
 * when another instance holds the indexing lock (underTryLock).
 */
export async function indexAuditSearchBatch(db: Db, maxEvents: number): Promise<SearchIndexResult | null> {
  return underTryLock(db, SEARCH_INDEX_LOCK_KEY, async (tx) => {
    const [row] = rowsOf<{ indexed: number | string; through: number | string }>(
      await tx.execute(sql`
        with w as materialized (select coalesce(max(seq), 0) as w from audit_search),
        ins as (
          insert into audit_search (seq, event_id, body)
          select ${auditLog.seq}, ${auditLog.id}, lower(${auditSearchText}) from ${auditLog}, w
          where ${auditLog.seq} > w.w and ${auditLog.seq} <= w.w + ${maxEvents}
          order by ${auditLog.seq}
          returning seq
        )
        select (select count(*) from ins) as indexed,
               greatest((select w from w), coalesce((select max(seq) from ins), 0)) as through`),
    );
    return { indexed: Number(row?.indexed ?? 0), indexedThrough: Number(row?.through ?? 0) };
  });
}

/** Highest seq in the search index (0 when empty); every sealed event up to it is indexed. */
export async function searchIndexedThrough(db: Queryable): Promise<number> {
  const [row] = rowsOf<{ w: number | string }>(
    await db.execute(sql`select coalesce(max(seq), 0) as w from audit_search`),
  );
  return Number(row?.w ?? 0);
}
