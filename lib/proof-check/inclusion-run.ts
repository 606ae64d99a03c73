/**
 * RFC 9162 §2.1.3.2 inclusion checks for many leaves of ONE signed tree, as an evidence
 * bundle holds them: in leaf order, each with its own proof. Consecutive leaves share all
 * but the lowest nodes of their paths, so once a node has been proven to lie under the
 * signed root, a later leaf whose own path reaches that node — with the same hash — is
 * proven too, without hashing the rest of its path. Each leaf still costs its own hashes up
 * to where its path meets a proven one (on average about two), instead of ~log2(n).
 *
 * Synchronous hashing only (node:crypto); the browser keeps the one-proof async check.
 */
import { equalBytes } from "./proof-check";

export type SyncSha256 = (data: Uint8Array) => Uint8Array;

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);
const NODE = 0x01;

/**
 * How many hashes an inclusion proof for leafIndex in a tree of treeSize holds: the
 * verification loop's own steps, run without hashing. A proof of another length is refused
 * outright, so a leaf proven early through a shared node cannot carry a malformed tail.
 */
export function inclusionProofLength(leafIndex: number, treeSize: number): number {
  let fn = leafIndex;
  let sn = treeSize - 1;
  let steps = 0;
  while (sn !== 0) {
    if ((odd(fn) || fn === sn) && !odd(fn)) {
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
    steps += 1;
  }
  return steps;
}

export interface InclusionRun {
  /** True when the proof shows this leaf hash at leafIndex in the tree the run was opened for. */
  verify(leafIndex: number, leafHash: Uint8Array, proofLength: number, proofAt: (i: number) => Uint8Array): boolean;
}

/**
 * Opens a run of inclusion checks against one tree. A node is named (level, index) with the
 * level counting every halving of the verification loop, so the same name is the same
 * subtree — MTH of leaves [index·2^level, min((index+1)·2^level, treeSize)) — whichever
 * leaf's path reaches it.
 */
export function inclusionRun(sha256: SyncSha256, treeSize: number, root: Uint8Array): InclusionRun {
  // Per level, the most recent node proven to lie under `root`.
  const proven = new Map<number, { index: number; hash: Uint8Array }>();
  const buffer = new Uint8Array(65);
  buffer[0] = NODE;
  const node = (left: Uint8Array, right: Uint8Array) => {
    buffer.set(left, 1);
    buffer.set(right, 33);
    return sha256(buffer);
  };

  return {
    verify(leafIndex, leafHash, proofLength, proofAt) {
      if (leafIndex < 0 || leafIndex >= treeSize) return false;
      if (proofLength !== inclusionProofLength(leafIndex, treeSize)) return false;
      const path: { level: number; index: number; hash: Uint8Array }[] = [];
      const accept = () => {
        for (const step of path) proven.set(step.level, { index: step.index, hash: step.hash });
        return true;
      };
      let fn = leafIndex;
      let sn = treeSize - 1;
      let level = 0;
      let r = leafHash;
      for (let i = 0; i <= proofLength; i += 1) {
        const known = proven.get(level);
        if (known && known.index === fn) return equalBytes(known.hash, r) && accept();
        path.push({ level, index: fn, hash: r });
        if (i === proofLength) break;
        const p = proofAt(i);
        if (p.length !== 32 || r.length !== 32) return false;
        if (odd(fn) || fn === sn) {
          r = node(p, r);
          if (!odd(fn)) {
            while (!odd(fn) && fn !== 0) {
              fn = half(fn);
              sn = half(sn);
              level += 1;
            }
          }
        } else {
          r = node(r, p);
        }
        fn = half(fn);
        sn = half(sn);
        level += 1;
      }
      return sn === 0 && equalBytes(r, root) && accept();
    },
  };
}
