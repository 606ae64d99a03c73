import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { canaryCounts, type Canaries } from "./canaries";

export interface CanaryHits {
  /** Places searched, e.g. "table runs (42 rows)", "captured logs (310 lines)". */
  searched: string[];
  /** Where a canary was found (empty when none): rows (tables) or occurrences (texts), per canary. */
  hits: { where: string; canary: keyof Canaries; count: number }[];
  total: number;
}

/**
 * Searches every table of the database (every column: text and JSON as text, bytea as bytes —
 * workspace contents are stored as bytes), plus any other texts (logs, responses) for the canaries.
 */
export async function searchCanaries(
  db: Db,
  canaries: Canaries,
  texts: { where: string; text: string }[],
): Promise<CanaryHits> {
  const columns = rowsOf<{ table_name: string; column_name: string; data_type: string }>(
    await db.execute(sql`select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' order by table_name, ordinal_position`),
  );
  const tables = new Map<string, { name: string; type: string }[]>();
  for (const c of columns)
    tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), { name: c.column_name, type: c.data_type }]);
  const searched: string[] = [];
  const hits: CanaryHits["hits"] = [];
  const names = Object.keys(canaries) as (keyof Canaries)[];
  for (const [table, cols] of tables) {
    const found = (value: string) =>
      sql.join(
        cols.map((c) =>
          c.type === "bytea"
            ? sql`position(convert_to(${value}, 'UTF8') in ${sql.identifier(c.name)}) > 0`
            : sql`position(${value} in ${sql.identifier(c.name)}::text) > 0`,
        ),
        sql` or `,
      );
    const [row] = rowsOf<Record<string, number | string>>(
      await db.execute(
        sql`select count(*) as total, ${sql.join(
          names.map((n) => sql`count(*) filter (where ${found(canaries[n])}) as ${sql.identifier(n)}`),
          sql`, `,
        )} from ${sql.identifier(table)}`,
      ),
    );
    searched.push(`table ${table} (${Number(row?.total ?? 0)} rows)`);
    for (const n of names) {
      const count = Number(row?.[n] ?? 0);
      if (count > 0) hits.push({ where: `table ${table}`, canary: n, count });
    }
  }
  for (const t of texts) {
    searched.push(t.where);
    const counts = canaryCounts(t.text, canaries);
    for (const n of names) if (counts[n] > 0) hits.push({ where: t.where, canary: n, count: counts[n] });
  }
  return { searched, hits, total: hits.reduce((s, h) => s + h.count, 0) };
}
