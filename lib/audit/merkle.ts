import crypto, { createHash } from "node:crypto";

/**
 * RFC 6962 / RFC 9162 Merkle tree arithmetic. Nodes are named (level, index) as in
 * Trillian: level 0 holds leaf hashes, node (l, i) covers leaves [i·2^l, (i+1)·2^l).
 * Only complete ("perfect") subtrees are ever stored, so a stored node never changes;
 * the hash of any other range is folded from the O(log n) perfect subtrees that cover it.
 */
export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

// One-shot SHA-256 (Node ≥ 20.12) costs about half of a Hash object for inputs this small;
// verify computes two per event. Older Node falls back to createHash.
const oneShot: typeof crypto.hash | undefined = typeof crypto.hash === "function" ? crypto.hash : undefined;
const nodeInput = Buffer.alloc(65, NODE_PREFIX[0]);

export function leafHash(leaf: string | Uint8Array): Hash {
  // "\0" + leaf encodes as the 0x00 prefix followed by the leaf's UTF-8.
  if (oneShot && typeof leaf === "string") return oneShot("sha256", `\0${leaf}`, "buffer");
  return createHash("sha256").update(LEAF_PREFIX).update(leaf).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  if (oneShot && left.length === 32 && right.length === 32) {
    nodeInput.set(left, 1);
    nodeInput.set(right, 33);
    return oneShot("sha256", nodeInput, "buffer");
  }
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = createHash("sha256").digest();

export interface NodeId {
  level: number;
  index: number;
}

export const nodeKey = (level: number, index: number) => `${level}:${index}`;

/** The perfect subtrees covering [lo, hi), left to right (each as large as alignment allows). */
export function rangeNodes(lo: number, hi: number): NodeId[] {
  const out: NodeId[] = [];
  let at = lo;
  while (at < hi) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= hi) level += 1;
    out.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return out;
}

/** The perfect subtrees of the tree of size n: the compact range [0, n), one per set bit. */
export function frontierNodes(size: number): NodeId[] {
  return rangeNodes(0, size);
}

/** Folds perfect subtree hashes (left to right, decreasing sizes) into MTH of their range. */
export function foldRange(hashes: readonly Hash[]): Hash {
  const last = hashes[hashes.length - 1];
  if (!last) return EMPTY_ROOT;
  let acc = last;
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = nodeHash(hashes[i] as Hash, acc);
  return acc;
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A proof step: MTH of the leaf range [lo, hi). */
export interface RangeRef {
  lo: number;
  hi: number;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]), as the ranges whose MTH forms the audit path (leaf first). */
export function inclusionRanges(m: number, lo: number, hi: number): RangeRef[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = largestPowerOfTwoBelow(n);
  if (m < k) return [...inclusionRanges(m, lo, lo + k), { lo: lo + k, hi }];
  return [...inclusionRanges(m - k, lo + k, hi), { lo, hi: lo + k }];
}

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b), as ranges. */
export function consistencyRanges(m: number, lo: number, hi: number, complete: boolean): RangeRef[] {
  const n = hi - lo;
  if (m === n) return complete ? [] : [{ lo, hi }];
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) return [...consistencyRanges(m, lo, lo + k, complete), { lo: lo + k, hi }];
  return [...consistencyRanges(m - k, lo + k, hi, false), { lo, hi: lo + k }];
}

/**
 * The tree's right edge, kept in memory by the sealer: one hash per set bit of the size.
 * Appending a leaf returns every subtree it completes, to be stored.
 */
export class CompactRange {
  /** frontier[level] is the perfect subtree at that level, when bit `level` of size is set. */
  private readonly frontier = new Map<number, Hash>();

  constructor(
    private count: number,
    nodes: readonly { level: number; hash: Hash }[] = [],
  ) {
    for (const node of nodes) this.frontier.set(node.level, node.hash);
    for (let level = 0; 2 ** level <= count; level += 1) {
      const set = Math.floor(count / 2 ** level) % 2 === 1;
      if (set !== this.frontier.has(level)) throw new Error(`compact range of size ${count} is missing level ${level}`);
    }
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf hash; returns the subtrees it completes (leaf first) unless `collect` is false. */
  append(leaf: Hash, collect = true): { level: number; index: number; hash: Hash }[] {
    const n = this.count;
    const completed = collect ? [{ level: 0, index: n, hash: leaf }] : [];
    let carry = leaf;
    let level = 0;
    while (Math.floor(n / 2 ** level) % 2 === 1) {
      const left = this.frontier.get(level);
      if (!left) throw new Error(`compact range lost level ${level}`);
      this.frontier.delete(level);
      carry = nodeHash(left, carry);
      level += 1;
      if (collect) completed.push({ level, index: Math.floor(n / 2 ** level), hash: carry });
    }
    this.frontier.set(level, carry);
    this.count = n + 1;
    return completed;
  }

  /** Appends a perfect subtree of 2^level leaves; the size must be a multiple of 2^level. */
  appendSubtree(level: number, hash: Hash): void {
    const n = this.count;
    if (n % 2 ** level !== 0) throw new Error(`a subtree of level ${level} cannot follow size ${n}`);
    let carry = hash;
    let at = level;
    while (Math.floor(n / 2 ** at) % 2 === 1) {
      const left = this.frontier.get(at);
      if (!left) throw new Error(`compact range lost level ${at}`);
      this.frontier.delete(at);
      carry = nodeHash(left, carry);
      at += 1;
    }
    this.frontier.set(at, carry);
    this.count = n + 2 ** level;
  }

  /** The perfect subtrees of the range, left to right (largest first), as foldRange takes them. */
  nodes(): Hash[] {
    return [...this.frontier.entries()].sort((a, b) => b[0] - a[0]).map(([, hash]) => hash);
  }

  root(): Hash {
    const levels = [...this.frontier.keys()].sort((a, b) => a - b);
    let acc: Hash | null = null;
    for (const level of levels) {
      const hash = this.frontier.get(level) as Hash;
      acc = acc === null ? hash : nodeHash(hash, acc);
    }
    return acc ?? EMPTY_ROOT;
  }
}
