import { createHash } from "node:crypto";

/**
 * An independent verifier written for the tests from RFC 9162 §2.1 (not from lib/audit):
 * MTH by its recursive definition, and the inclusion (§2.1.3.2) and consistency
 * (§2.1.4.2) verification algorithms step by step, over plain byte arrays.
 */
const sha = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const ZERO = Uint8Array.of(0);
const ONE = Uint8Array.of(1);

export const rfcLeafHash = (leaf: Uint8Array | string) =>
  sha(ZERO, typeof leaf === "string" ? Buffer.from(leaf, "utf8") : leaf);

/** MTH(D[n]) from the leaf hashes. */
export function rfcRoot(leafHashes: readonly Buffer[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return sha();
  if (n === 1) return leafHashes[0] as Buffer;
  let k = 1;
  while (k * 2 < n) k *= 2;
  return sha(ONE, rfcRoot(leafHashes.slice(0, k)), rfcRoot(leafHashes.slice(k)));
}

const lsb = (x: bigint) => (x & 1n) === 1n;

export function rfcVerifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Buffer,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = leafHash;
  for (const p of path) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      r = sha(ONE, p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = sha(ONE, r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

export function rfcVerifyConsistency(
  firstSize: number,
  secondSize: number,
  firstHash: Buffer,
  secondHash: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (firstSize === secondSize) return proof.length === 0 && firstHash.equals(secondHash);
  if (firstSize === 0 || firstSize > secondSize || proof.length === 0) return false;
  const path = [...proof];
  if ((firstSize & (firstSize - 1)) === 0) path.unshift(firstHash);
  let fn = BigInt(firstSize - 1);
  let sn = BigInt(secondSize - 1);
  while (lsb(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0] as Buffer;
  let sr = path[0] as Buffer;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      fr = sha(ONE, c, fr);
      sr = sha(ONE, c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = sha(ONE, sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0n;
}
