import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { readAnchorFiles } from "./anchor";
import type { AuditKeys } from "./keys";
import { openCheckpoint } from "./note";

/** A tree size and the root a signed checkpoint or an anchor claims for it. */
export interface Point {
  size: number;
  root: Buffer;
  /** A stored checkpoint whose note does not verify. */
  badSignature?: boolean;
}

/** Stored checkpoints in tree-size order, read a page at a time. */
export function checkpointReader(db: Queryable, keys: AuditKeys, pageSize: number, maxSize: number) {
  let after = 0;
  let page: Point[] = [];
  let done = false;
  return {
    async peek(): Promise<Point | null> {
      if (page.length === 0 && !done) {
        const rows = rowsOf<{ tree_size: number | string; root_hash: Uint8Array; note: string }>(
          await db.execute(
            sql`select tree_size, root_hash, note from audit_checkpoints where tree_size > ${after} and tree_size <= ${maxSize} order by tree_size limit ${pageSize}`,
          ),
        );
        if (rows.length < pageSize) done = true;
        page = rows.map((r) => {
          const size = Number(r.tree_size);
          const root = Buffer.from(r.root_hash);
          const opened = openCheckpoint(r.note, keys.origin, keys.publicKey);
          const badSignature =
            !opened || opened.treeSize !== size || !opened.rootHash.equals(root) || opened.origin !== keys.origin;
          return { size, root, badSignature };
        });
        const last = page[page.length - 1];
        if (last) after = last.size;
      }
      return page[0] ?? null;
    },
    shift() {
      page.shift();
    },
  };
}

/** Anchored checkpoints (files outside the database) signed by this log's key, in size order. */
export async function readAnchors(keys: AuditKeys, anchorDir: string | null | undefined): Promise<Point[]> {
  const anchors: Point[] = [];
  for (const { note } of anchorDir ? await readAnchorFiles(anchorDir) : []) {
    const opened = openCheckpoint(note, keys.origin, keys.publicKey);
    if (opened && opened.origin === keys.origin) anchors.push({ size: opened.treeSize, root: opened.rootHash });
  }
  return anchors.sort((a, b) => a.size - b.size);
}
