import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { SEALED_ROW_SELECT, type SealedRow } from "./sealed-row";

/** The sealed events with after < seq ≤ upTo, in seq order (missing seqs are simply absent). */
export async function readSealedRange(db: Queryable, after: number, upTo: number): Promise<SealedRow[]> {
  return rowsOf<SealedRow>(
    await db.execute(sql`${sql.raw(SEALED_ROW_SELECT)} where seq > ${after} and seq <= ${upTo} order by seq`),
  );
}
