import type { Queryable } from "@/db/client";
import type { RangeSource } from "@/lib/audit/verify";
import { checkChunk, type ChunkResult } from "@/lib/audit/verify-chunk";
import { rangesInOrder, type SeqRange } from "@/lib/audit/verify-ranges";
import { readSealedRange } from "@/lib/audit/verify-rows";

export interface ShuffledOptions {
  /** Ranges in flight at once, as threads × depth would be (default 6). */
  ahead?: number;
  /** Milliseconds before a range is checked (default 0–4 at random), so later ranges often finish first. */
  delay?: (range: SeqRange) => number;
  /** A fault of the source itself for this range (what a range thread's error reply is). */
  fail?: (range: SeqRange) => Error | null;
}

/**
 * A RangeSource in this process: each range read and checked as a range thread does
 * (checkChunk), but finished after its own delay, so ranges arrive out of order at the
 * same reordering as the worker threads' (rangesInOrder). Works on PGlite and costs
 * milliseconds, so every range size and tamper case can run through the fold.
 */
export function shuffledRanges(db: Queryable, options: ShuffledOptions = {}): RangeSource {
  const delay = options.delay ?? (() => Math.floor(Math.random() * 5));
  return (maxSeq, chunkSize, macKey) => {
    const check = async (range: SeqRange): Promise<ChunkResult> => {
      await new Promise((resolve) => setTimeout(resolve, delay(range)));
      const fault = options.fail?.(range);
      if (fault) throw fault;
      return checkChunk(await readSealedRange(db, range.after, range.upTo), range.after, range.upTo, macKey);
    };
    return rangesInOrder(check, maxSeq, chunkSize, options.ahead ?? 6);
  };
}
