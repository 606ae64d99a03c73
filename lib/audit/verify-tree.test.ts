import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactRange, leafHash, nodeHash } from "./merkle";
import { RangedTree } from "./verify-tree";

describe("RangedTree", () => {
  it("has the root a leaf-by-leaf compact range has, at every size, for any range size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 70 }), (k, total) => {
        const width = 2 ** k;
        const leaves = Array.from({ length: total }, (_, i) => leafHash(`leaf ${i}`));
        const reference = new CompactRange(0);
        const tree = new RangedTree();
        expect(tree.root().equals(reference.root())).toBe(true);
        for (let after = 0; after < total; after += width) {
          const slice = leaves.slice(after, after + width);
          tree.enter({ after, count: slice.length, nodes: levels(slice) });
          for (let i = 0; i < slice.length; i += 1) {
            reference.append(slice[i] as Buffer, false);
            tree.size = after + i + 1;
            expect(tree.root().equals(reference.root()), `size ${tree.size}, ranges of ${width}`).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a range that does not follow a complete power-of-two range", () => {
    const tree = new RangedTree();
    const three = Array.from({ length: 3 }, (_, i) => leafHash(`x${i}`));
    tree.enter({ after: 0, count: 3, nodes: levels(three) });
    expect(() => tree.enter({ after: 3, count: 1, nodes: levels([leafHash("y")]) })).toThrow(/power of two/);
  });
});

/** checkChunk's node layout (verify-chunk.ts), built independently: the leaves, then each level above. */
function levels(leaves: Buffer[]): Uint8Array {
  const out: Buffer[] = [];
  let level = leaves;
  while (level.length > 0) {
    out.push(...level);
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i] as Buffer, level[i + 1] as Buffer));
    level = up;
  }
  return new Uint8Array(Buffer.concat(out));
}
