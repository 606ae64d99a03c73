import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { openScratchDatabase, type ScratchDatabase } from "./scratch-database";

/** The audit tables verification reads, each with the columns it is ordered and paged by (its primary key). */
const AUDIT_TABLES = [
  { table: "audit_events", key: ["id"] },
  { table: "audit_seqs", key: ["seq"] },
  { table: "audit_rejections", key: ["event_id"] },
  { table: "audit_checkpoints", key: ["tree_size"] },
  { table: "audit_tree_nodes", key: ["level", "idx"] },
] as const;

const PAGE = 5_000;

/**
 * The deployment's audit log copied into an embedded scratch database, row for row and with its
 * guards off while copying (as a restore would be), so a superuser's edit can be shown on the
 * copy. The deployment is only read.
 */
export async function exportAuditCopy(source: Db): Promise<ScratchDatabase> {
  const copy = await openScratchDatabase({ prefix: "proof_live_copy", poolSize: 1 });
  try {
    // One snapshot for every table: the deployment keeps sealing meanwhile, and a seq, node or checkpoint
    // read after its events would not match them.
    await source.transaction(
      async (tx) => {
        for (const { table, key } of AUDIT_TABLES) await copyTable(tx, copy.handle.db, table, key);
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
  } catch (error) {
    await copy.drop();
    throw error;
  }
  return copy;
}

async function copyTable(source: Queryable, target: Db, table: string, key: readonly string[]): Promise<void> {
  const name = sql.raw(table);
  // The row comparison selects the range; the plain list orders it as the primary key's index does.
  const columns = sql.raw(`(${key.join(", ")})`);
  const order = sql.raw(key.join(", "));
  await target.execute(sql`alter table ${name} disable trigger all`);
  try {
    // Rows travel as one JSON text a page (bytea as \x hex, timestamps as ISO), read back as the table's row type;
    // pages follow the primary key, so each is an index range however long the log.
    let after: unknown[] | null = null;
    for (;;) {
      const from: SQL = after
        ? sql`where ${columns} > (${sql.join(
            after.map((v) => sql`${v}`),
            sql`, `,
          )})`
        : sql``;
      const [page] = rowsOf<{ rows: string | null }>(
        await source.execute(
          sql`select json_agg(t order by ${order})::text as rows from (select * from ${name} ${from} order by ${order} limit ${PAGE}) t`,
        ),
      );
      if (!page?.rows) break;
      await target.execute(
        sql`insert into ${name} select * from json_populate_recordset(null::${name}, ${page.rows}::json)`,
      );
      const rows = JSON.parse(page.rows) as Record<string, unknown>[];
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) break;
      after = key.map((k) => last[k]);
    }
  } finally {
    await target.execute(sql`alter table ${name} enable trigger all`);
  }
}
