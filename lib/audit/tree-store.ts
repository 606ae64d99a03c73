import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { nodeKey, type Hash, type NodeId } from "./merkle";

/** Reads stored subtree hashes in one round trip, keyed by nodeKey(level, index). */
export async function readNodes(db: Queryable, ids: readonly NodeId[]): Promise<Map<string, Hash>> {
  const out = new Map<string, Hash>();
  if (ids.length === 0) return out;
  const levels = `{${ids.map((n) => n.level).join(",")}}`;
  const indexes = `{${ids.map((n) => n.index).join(",")}}`;
  const rows = rowsOf<{ level: number | string; idx: number | string; hash: Uint8Array }>(
    await db.execute(sql`
      select n.level, n.idx, n.hash
      from unnest(${levels}::smallint[], ${indexes}::bigint[]) as k(level, idx)
      join audit_tree_nodes n on n.level = k.level and n.idx = k.idx`),
  );
  for (const row of rows) out.set(nodeKey(Number(row.level), Number(row.idx)), Buffer.from(row.hash));
  return out;
}

/** Appends completed subtree hashes in one statement. */
export async function writeNodes(
  db: Queryable,
  nodes: readonly { level: number; index: number; hash: Hash }[],
): Promise<void> {
  if (nodes.length === 0) return;
  const levels = `{${nodes.map((n) => n.level).join(",")}}`;
  const indexes = `{${nodes.map((n) => n.index).join(",")}}`;
  const hashes = `{${nodes.map((n) => n.hash.toString("hex")).join(",")}}`;
  await db.execute(sql`
    insert into audit_tree_nodes (level, idx, hash)
    select l, i, decode(h, 'hex') from unnest(${levels}::smallint[], ${indexes}::bigint[], ${hashes}::text[]) as t(l, i, h)`);
}

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  ts: Date;
  note: string;
}

export async function latestCheckpoint(db: Queryable): Promise<StoredCheckpoint | null> {
  const [row] = rowsOf<{ tree_size: number | string; root_hash: Uint8Array; ts_ms: number | string; note: string }>(
    await db.execute(sql`
      select tree_size, root_hash, (extract(epoch from ts) * 1000)::bigint as ts_ms, note
      from audit_checkpoints order by tree_size desc limit 1`),
  );
  if (!row) return null;
  return {
    treeSize: Number(row.tree_size),
    rootHash: Buffer.from(row.root_hash),
    ts: new Date(Number(row.ts_ms)),
    note: row.note,
  };
}
