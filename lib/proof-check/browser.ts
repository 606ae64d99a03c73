import { equalBytes, fromBase64, leafHashOf, verifyInclusion, type Sha256 } from "./proof-check";

/**
 * Checks in the browser, with Web Crypto only, that an audit event is in the signed log:
 * the checkpoint's Ed25519 signature (C2SP signed note) with the log's verifier key, the
 * event's leaf hash from its canonical form, and the RFC 9162 inclusion proof up to the
 * checkpoint's root. Nothing is taken on the server's word except the data checked.
 */
const sha256: Sha256 = async (data) => new Uint8Array(await crypto.subtle.digest("SHA-256", data as BufferSource));
const utf8 = (s: string) => new TextEncoder().encode(s);

export interface VerifierKey {
  name: string;
  publicKey: Uint8Array;
  keyHash: Uint8Array;
}

export async function parseVerifierKey(vkey: string): Promise<VerifierKey | null> {
  // name+hash+key: the name holds no "+", the base64 key may.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!m) return null;
  const [, name, hashHex, b64] = m as unknown as [string, string, string, string];
  const raw = fromBase64(b64);
  if (raw.length !== 33 || raw[0] !== 0x01) return null;
  const publicKey = raw.slice(1);
  const nameBytes = utf8(`${name}\n`);
  const material = new Uint8Array(nameBytes.length + raw.length);
  material.set(nameBytes);
  material.set(raw, nameBytes.length);
  const keyHash = (await sha256(material)).slice(0, 4);
  const hex = [...keyHash].map((b) => b.toString(16).padStart(2, "0")).join("");
  return hex === hashHex ? { name, publicKey, keyHash } : null;
}

export interface OpenedCheckpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
}

/** Verifies a C2SP signed note with the key and parses it as a tlog checkpoint; null when it does not verify. */
export async function openCheckpointInBrowser(note: string, key: VerifierKey): Promise<OpenedCheckpoint | null> {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const publicKey = await crypto.subtle.importKey("raw", key.publicKey as BufferSource, { name: "Ed25519" }, false, [
    "verify",
  ]);
  let verified = false;
  for (const line of note.slice(split + 2).split("\n")) {
    const prefix = `\u2014 ${key.name} `;
    if (!line.startsWith(prefix)) continue;
    const blob = fromBase64(line.slice(prefix.length));
    if (blob.length !== 68 || !equalBytes(blob.slice(0, 4), key.keyHash)) continue;
    if (
      await crypto.subtle.verify(
        { name: "Ed25519" },
        publicKey,
        blob.slice(4) as BufferSource,
        utf8(text) as BufferSource,
      )
    )
      verified = true;
  }
  if (!verified) return null;
  const [origin, size, root] = text.split("\n");
  if (!origin || !size || !root || !/^(0|[1-9][0-9]*)$/.test(size)) return null;
  const rootHash = fromBase64(root);
  return rootHash.length === 32 ? { origin, treeSize: Number(size), rootHash } : null;
}

/** The fields of an audit event that its sealed leaf holds besides seq, as a reader is shown them. */
export function leafFields(event: {
  ts: string;
  actor: unknown;
  action: string;
  subject: unknown;
  authorization: unknown;
  payload: unknown;
}): Record<string, unknown> {
  const { ts, actor, action, subject, authorization, payload } = event;
  return { ts, actor, action, subject, authorization, payload };
}

export interface EventProofInput {
  seq: number;
  canonical: string;
  /** The fields as displayed, compared with the canonical leaf. */
  fields: Record<string, unknown>;
  proof: { leafIndex: number; treeSize: number; hashes: string[] };
  checkpointNote: string;
  verifierKey: string;
}

export interface EventProofResult {
  ok: boolean;
  /** Plain words for the reviewer. */
  message: string;
  treeSize: number | null;
}

function sameJson(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(norm)
        : v;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export async function verifyEventInBrowser(input: EventProofInput): Promise<EventProofResult> {
  if (!globalThis.crypto?.subtle)
    return {
      ok: false,
      message: "This browser has no Web Crypto (a secure context is needed); the proof was not checked.",
      treeSize: null,
    };
  const key = await parseVerifierKey(input.verifierKey);
  if (!key) return { ok: false, message: "The log's verifier key is malformed.", treeSize: null };
  let checkpoint: OpenedCheckpoint | null;
  try {
    checkpoint = await openCheckpointInBrowser(input.checkpointNote, key);
  } catch {
    return {
      ok: false,
      message: "This browser cannot check Ed25519 signatures; the proof was not checked.",
      treeSize: null,
    };
  }
  if (!checkpoint)
    return {
      ok: false,
      message: "The latest checkpoint's signature does NOT verify with the log's key.",
      treeSize: null,
    };
  let leaf: unknown;
  try {
    leaf = JSON.parse(input.canonical);
  } catch {
    return { ok: false, message: "The event's canonical form is not JSON.", treeSize: checkpoint.treeSize };
  }
  if (!sameJson(leaf, { ...input.fields, seq: input.seq })) {
    return {
      ok: false,
      message: `Event #${input.seq} as shown does NOT match the leaf that was sealed.`,
      treeSize: checkpoint.treeSize,
    };
  }
  if (input.proof.treeSize !== checkpoint.treeSize) {
    return {
      ok: false,
      message: `The proof is for a tree of ${input.proof.treeSize} events, the signed checkpoint has ${checkpoint.treeSize}.`,
      treeSize: checkpoint.treeSize,
    };
  }
  const leafHash = await leafHashOf(sha256, utf8(input.canonical));
  const included = await verifyInclusion(
    sha256,
    input.seq - 1,
    checkpoint.treeSize,
    leafHash,
    input.proof.hashes.map(fromBase64),
    checkpoint.rootHash,
  );
  return included
    ? {
        ok: true,
        message: `Verified in your browser: event #${input.seq} is in the signed log of ${checkpoint.treeSize} events (checkpoint signed by ${key.name}).`,
        treeSize: checkpoint.treeSize,
      }
    : {
        ok: false,
        message: `Event #${input.seq} is NOT in the signed log: its inclusion proof does not lead to the signed root.`,
        treeSize: checkpoint.treeSize,
      };
}
