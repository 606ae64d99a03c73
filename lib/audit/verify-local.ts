import "server-only";
import type { Queryable } from "@/db/client";
import { checkChunk, type ChunkResult } from "./verify-chunk";
import type { SealedRow } from "./sealed-row";
import { readSealedRange } from "./verify-rows";

/**
 * The chunks of seqs 1 … maxSeq read and checked in this thread (embedded PGlite, a
 * transaction, or no connection URL to give worker threads). The next range is requested
 * before the current one is hashed, so a database in another process works meanwhile.
 */
export async function* localChunks(
  db: Queryable,
  maxSeq: number,
  chunkSize: number,
  macKey: Buffer,
): AsyncGenerator<ChunkResult, void, undefined> {
  const read = (after: number) => {
    const rows = readSealedRange(db, after, Math.min(after + chunkSize, maxSeq));
    // Observed at once: it is awaited only on the next turn, after this range was yielded,
    // and a rejection left unobserved meanwhile would crash the web server that runs this on PGlite.
    rows.catch(() => undefined);
    return rows;
  };
  let next: Promise<SealedRow[]> | null = maxSeq > 0 ? read(0) : null;
  try {
    for (let after = 0; next; after += chunkSize) {
      const rows = await next;
      const upTo = Math.min(after + chunkSize, maxSeq);
      next = upTo < maxSeq ? read(upTo) : null;
      yield checkChunk(rows, after, upTo, macKey);
    }
  } finally {
    // Stopped early at a bad seq: the prefetch must not outlive verify.
    await next?.catch(() => undefined);
  }
}
