import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { consistencyRanges, foldRange, inclusionRanges, leafHash, rangeNodes, type Hash } from "./merkle";
import { inclusionProofLength, inclusionRun, verifyConsistency, verifyInclusion, type Sha256 } from "@/lib/proof-check";

const sha256: Sha256 = (data) => createHash("sha256").update(data).digest();

/** MTH of leaves [lo, hi) computed directly from the leaf hashes (RFC 6962 definition, via perfect subtrees). */
function mth(leaves: Hash[], lo: number, hi: number): Hash {
  return foldRange(
    rangeNodes(lo, hi).map((n) => {
      const start = n.index * 2 ** n.level;
      let level = leaves.slice(start, start + 2 ** n.level);
      while (level.length > 1) {
        const next: Hash[] = [];
        for (let i = 0; i < level.length; i += 2)
          next.push(
            createHash("sha256")
              .update(Buffer.from([1]))
              .update(level[i] as Hash)
              .update(level[i + 1] as Hash)
              .digest(),
          );
        level = next;
      }
      return level[0] as Hash;
    }),
  );
}

describe("proof checking (shared by the browser and the offline verifier)", () => {
  const leaves = Array.from({ length: 37 }, (_, i) => leafHash(`leaf ${i}`));

  it("accepts every inclusion proof the server's arithmetic builds, and refuses a wrong leaf or root", async () => {
    for (const size of [1, 2, 3, 7, 8, 9, 16, 37]) {
      const root = mth(leaves, 0, size);
      for (let m = 0; m < size; m += 1) {
        const path = inclusionRanges(m, 0, size).map((r) => mth(leaves, r.lo, r.hi));
        expect(await verifyInclusion(sha256, m, size, leaves[m] as Hash, path, root)).toBe(true);
        expect(await verifyInclusion(sha256, m, size, leafHash("forged"), path, root)).toBe(false);
      }
      expect(await verifyInclusion(sha256, size, size, leaves[0] as Hash, [], root)).toBe(false);
    }
  });

  it("a run of inclusion checks over one tree agrees with the one-proof check, leaf by leaf and in any order", () => {
    const sync = (data: Uint8Array) => createHash("sha256").update(data).digest();
    for (const size of [1, 2, 3, 5, 7, 8, 9, 16, 37]) {
      const root = mth(leaves, 0, size);
      const paths = Array.from({ length: size }, (_, m) =>
        inclusionRanges(m, 0, size).map((r) => mth(leaves, r.lo, r.hi)),
      );
      for (const order of [
        Array.from({ length: size }, (_, m) => m),
        Array.from({ length: size }, (_, m) => size - 1 - m),
        Array.from({ length: size }, (_, m) => (m * 7) % size),
      ]) {
        const run = inclusionRun(sync, size, root);
        for (const m of order) {
          const path = paths[m] ?? [];
          expect(path.length).toBe(inclusionProofLength(m, size));
          const at = (i: number) => path[i] ?? new Uint8Array(32);
          // A forged leaf is refused even where its path meets one already proven.
          expect(run.verify(m, leafHash(`forged ${m}`), path.length, at)).toBe(false);
          expect(run.verify(m, leaves[m] as Hash, path.length, at)).toBe(true);
          // A proof of the wrong length is refused before any hashing.
          expect(run.verify(m, leaves[m] as Hash, path.length + 1, at)).toBe(false);
        }
      }
      // A run opened for a wrong root proves nothing.
      const wrong = inclusionRun(sync, size, leafHash("not the root"));
      const path0 = paths[0] ?? [];
      expect(wrong.verify(0, leaves[0] as Hash, path0.length, (i) => path0[i] ?? new Uint8Array(32))).toBe(false);
    }
  });

  it("accepts consistency proofs between sizes and refuses a rewritten prefix", async () => {
    for (const [m, n] of [
      [1, 2],
      [3, 7],
      [4, 8],
      [5, 37],
      [16, 37],
      [36, 37],
      [8, 8],
    ] as const) {
      const proof = m === n ? [] : consistencyRanges(m, 0, n, true).map((r) => mth(leaves, r.lo, r.hi));
      expect(await verifyConsistency(sha256, m, n, mth(leaves, 0, m), mth(leaves, 0, n), proof)).toBe(true);
      const forged = [...leaves];
      forged[0] = leafHash("rewritten");
      expect(await verifyConsistency(sha256, m, n, mth(forged, 0, m), mth(leaves, 0, n), proof)).toBe(false);
    }
  });
});
