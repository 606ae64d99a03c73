import "server-only";
import { CompactRange, foldRange, rangeNodes, type Hash } from "./merkle";
import { levelOffset, type ChunkResult } from "./verify-chunk";

/**
 * The Merkle tree as verify walks it, range by range: the ranges already passed folded
 * into a compact range (one perfect subtree each), the current range kept as the nodes its
 * thread hashed. The root at any size inside the current range is then O(log n) hashes.
 * Ranges must be aligned powers of two (range i covers [i·2^k, (i+1)·2^k)), so a
 * range's nodes are exactly the perfect subtrees the tree has there; the last may be shorter.
 */
export class RangedTree {
  private readonly passed = new CompactRange(0);
  private current: Pick<ChunkResult, "after" | "count" | "nodes"> | null = null;
  /** Leaves counted so far; only up to the end of the current range. */
  size = 0;

  /** Moves on to the next range; the one before must have been complete. */
  enter(chunk: Pick<ChunkResult, "after" | "count" | "nodes">): void {
    const previous = this.current;
    if (previous) {
      const level = Math.log2(previous.count);
      if (!Number.isInteger(level) || previous.after + previous.count !== chunk.after)
        throw new Error(`range after ${previous.after} is not a complete power of two`);
      this.passed.appendSubtree(level, this.node(previous, level, 0));
    }
    if (this.passed.size !== chunk.after) throw new Error(`range after ${chunk.after} does not follow the tree`);
    this.current = chunk;
  }

  root(): Hash {
    const current = this.current;
    if (!current || this.size === this.passed.size) return foldRange(this.passed.nodes());
    if (this.size < current.after || this.size > current.after + current.count)
      throw new Error(`size ${this.size} is outside the current range`);
    const inside = rangeNodes(current.after, this.size).map(({ level, index }) =>
      this.node(current, level, index - current.after / 2 ** level),
    );
    return foldRange([...this.passed.nodes(), ...inside]);
  }

  private node(chunk: Pick<ChunkResult, "count" | "nodes">, level: number, index: number): Hash {
    const at = chunk.nodes.byteOffset + levelOffset(chunk.count, level) + index * 32;
    return Buffer.from(chunk.nodes.buffer, at, 32);
  }
}
