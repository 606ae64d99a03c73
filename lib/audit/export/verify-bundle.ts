import "server-only";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { leafString } from "../leaf";
import { keyHash, openCheckpoint, type ParsedCheckpoint } from "../note";
import { inclusionRun, verifyConsistency, type InclusionRun, type Sha256 } from "@/lib/proof-check";
import type { AuditEvent } from "../types";
import { BUNDLE_FORMAT } from "./formats";

export interface BundleVerifyResult {
  ok: boolean;
  /** Events whose leaf, content and inclusion proof checked out (before the first problem). */
  events: number;
  treeSize: number | null;
  latestTreeSize: number | null;
  origin: string | null;
  /** The seq of the first event that failed, when an event is the problem. */
  badSeq: number | null;
  /** What is wrong, in plain words; null when ok. */
  problem: string | null;
  /** True when the key was pinned with --key (otherwise the key inside the bundle was trusted). */
  keyPinned: boolean;
}

const sha256Sync = (data: Uint8Array): Uint8Array => createHash("sha256").update(data).digest();
const sha256: Sha256 = sha256Sync;

/** "<name>+<hex key hash>+<base64(0x01 ‖ key)>" → name and raw Ed25519 key, or null when malformed or inconsistent. */
export function parseVerifierKey(vkey: string): { name: string; publicKey: Buffer } | null {
  // name+hash+key: the name holds no "+", the base64 key may.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!m) return null;
  const [, name, hash, b64] = m as unknown as [string, string, string, string];
  const raw = Buffer.from(b64, "base64");
  if (raw.length !== 33 || raw[0] !== 0x01) return null;
  const publicKey = raw.subarray(1);
  if (keyHash(name, publicKey).toString("hex") !== hash) return null;
  return { name, publicKey };
}

function isEvent(v: unknown): v is AuditEvent {
  if (!v || typeof v !== "object") return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.ts === "string" &&
    typeof e.action === "string" &&
    !!e.actor &&
    !!e.subject &&
    !!e.authorization &&
    !!e.payload
  );
}

/**
 * Checks an evidence bundle with no database and no secrets: the verifier key (pinned with
 * `pinnedKey` or taken from the bundle), both signed checkpoints, the consistency proof
 * between them, and for every event that its readable fields are exactly its leaf, and that
 * the leaf is in the signed tree. Stops at the first problem and names it (event by seq).
 */
export async function verifyBundleFile(file: string, pinnedKey?: string): Promise<BundleVerifyResult> {
  const result: BundleVerifyResult = {
    ok: false,
    events: 0,
    treeSize: null,
    latestTreeSize: null,
    origin: null,
    badSeq: null,
    problem: null,
    keyPinned: !!pinnedKey,
  };
  const fail = (problem: string, badSeq: number | null = null) => ({ ...result, ok: false, problem, badSeq });
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });

  let key: { name: string; publicKey: Buffer } | null = pinnedKey ? parseVerifierKey(pinnedKey) : null;
  if (pinnedKey && !key) return fail("the --key given is not a valid note verifier key");
  let header: Record<string, unknown> | null = null;
  let proofs: ParsedCheckpoint | null = null;
  let head: ParsedCheckpoint | null = null;
  let consistency: { from: number; to: number; hashes: string[] } | null = null;
  // Every event is checked against the proofs checkpoint's tree; paths shared by neighbours are hashed once.
  let inclusion: InclusionRun | null = null;
  let lastSeq = 0;
  let ended: number | null = null;
  let lineNo = 0;

  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === "") continue;
    if (ended !== null) return fail(`line ${lineNo}: content after the end record`);
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return fail(`line ${lineNo} is not JSON`);
    }
    switch (rec.type) {
      case "header":
        if (rec.format !== BUNDLE_FORMAT || rec.version !== 1) return fail("not a Flightdeck audit bundle (version 1)");
        header = rec;
        result.origin = typeof rec.origin === "string" ? rec.origin : null;
        break;
      case "readme":
        break;
      case "verifier-key": {
        const inBundle = parseVerifierKey(String(rec.key ?? ""));
        if (!inBundle) return fail("the bundle's verifier key is malformed");
        if (key && (key.name !== inBundle.name || !key.publicKey.equals(inBundle.publicKey)))
          return fail("the bundle's verifier key is not the pinned key");
        key ??= inBundle;
        break;
      }
      case "checkpoint": {
        if (!key) return fail("a checkpoint comes before the verifier key");
        const parsed = openCheckpoint(String(rec.note ?? ""), key.name, key.publicKey);
        if (!parsed) return fail(`the ${String(rec.role)} checkpoint's signature does not verify with the key`);
        if (parsed.origin !== key.name)
          return fail(`the ${String(rec.role)} checkpoint is for origin ${parsed.origin}, not ${key.name}`);
        if (rec.role === "proofs") proofs = parsed;
        else if (rec.role === "latest") head = parsed;
        break;
      }
      case "consistency": {
        if (!proofs || !head) return fail("the consistency proof comes before both checkpoints");
        const hashes = Array.isArray(rec.hashes) ? rec.hashes.map(String) : [];
        consistency = { from: Number(rec.from), to: Number(rec.to), hashes };
        if (consistency.from !== proofs.treeSize || consistency.to !== head.treeSize)
          return fail("the consistency proof is not between the two checkpoints");
        const ok = await verifyConsistency(
          sha256,
          proofs.treeSize,
          head.treeSize,
          proofs.rootHash,
          head.rootHash,
          hashes.map((h) => Buffer.from(h, "base64")),
        );
        if (!ok)
          return fail(
            `the latest checkpoint (size ${head.treeSize}) is not an extension of the proofs checkpoint (size ${proofs.treeSize})`,
          );
        result.treeSize = proofs.treeSize;
        result.latestTreeSize = head.treeSize;
        inclusion = inclusionRun(sha256Sync, proofs.treeSize, proofs.rootHash);
        break;
      }
      case "event": {
        if (!proofs || !consistency || !inclusion)
          return fail("an event comes before the checkpoints and consistency proof");
        const seq = Number(rec.seq);
        if (!Number.isSafeInteger(seq) || seq <= lastSeq)
          return fail(
            `event seq ${String(rec.seq)} is out of order or repeated`,
            Number.isSafeInteger(seq) ? seq : null,
          );
        lastSeq = seq;
        const leaf = typeof rec.leaf === "string" ? rec.leaf : null;
        if (!leaf) return fail(`event seq ${seq} has no leaf`, seq);
        if (!isEvent(rec.event) || rec.event.seq !== seq) return fail(`event seq ${seq} is malformed`, seq);
        let rebuilt: string;
        try {
          rebuilt = leafString(seq, rec.event);
        } catch {
          return fail(`event seq ${seq} is malformed`, seq);
        }
        if (rebuilt !== leaf) return fail(`event seq ${seq} was altered: its fields no longer match its leaf`, seq);
        const leafHash = sha256Sync(Buffer.concat([Buffer.from([0]), Buffer.from(leaf, "utf8")]));
        const path: unknown[] = Array.isArray(rec.inclusion) ? rec.inclusion : [];
        const included = inclusion.verify(seq - 1, leafHash, path.length, (i) =>
          Buffer.from(String(path[i]), "base64"),
        );
        if (!included)
          return fail(
            `event seq ${seq} is not in the signed log (its leaf or inclusion proof does not match the checkpoint)`,
            seq,
          );
        result.events += 1;
        break;
      }
      case "end":
        ended = Number(rec.events);
        break;
      default:
        return fail(`line ${lineNo}: unknown record type ${JSON.stringify(rec.type)}`);
    }
  }
  if (!header) return fail("no header: not a Flightdeck audit bundle");
  if (ended === null) return fail("the bundle is truncated (no end record)");
  if (ended !== result.events || Number(header.events) !== result.events) {
    return fail(
      `the bundle holds ${result.events} events but declares ${String(header.events)} (end record: ${ended})`,
    );
  }
  if (!consistency) return fail("the bundle has no consistency proof");
  return { ...result, ok: true };
}
