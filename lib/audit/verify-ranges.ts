import "server-only";
import type { ChunkResult } from "./verify-chunk";

/** The seqs after < seq ≤ upTo, the index-th range of a verify. */
export interface SeqRange {
  index: number;
  after: number;
  upTo: number;
}

/**
 * The ranges of chunkSize seqs covering 1 … maxSeq, checked by `check` (which may finish
 * them in any order) and yielded in seq order; at most `ahead` ranges are in flight beyond
 * the one being folded. Each range has its own promise, so a range that fails is raised
 * only when the fold reaches it: an earlier range may still hold the first bad seq, and
 * that is the one a sequential walk names.
 */
export async function* rangesInOrder(
  check: (range: SeqRange) => Promise<ChunkResult>,
  maxSeq: number,
  chunkSize: number,
  ahead: number,
): AsyncGenerator<ChunkResult, void, undefined> {
  const total = Math.ceil(maxSeq / chunkSize);
  const inFlight = new Map<number, Promise<ChunkResult>>();
  const request = (index: number) => {
    if (index >= total) return;
    const after = index * chunkSize;
    const result = check({ index, after, upTo: Math.min(after + chunkSize, maxSeq) });
    // Observed at once, raised when taken: a failure in a range the fold never reaches
    // (it stopped earlier) must not become an unhandled rejection.
    result.catch(() => undefined);
    inFlight.set(index, result);
  };
  for (let i = 0; i < Math.max(1, ahead); i += 1) request(i);
  for (let index = 0; index < total; index += 1) {
    const result = inFlight.get(index) ?? Promise.reject(new Error(`audit verify: range ${index} was not requested`));
    inFlight.delete(index);
    const chunk = await result;
    request(index + Math.max(1, ahead));
    yield chunk;
  }
}
