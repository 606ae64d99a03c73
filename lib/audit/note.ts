import "server-only";
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/**
 * C2SP signed-note and tlog-checkpoint, Ed25519 only. A note is its text (lines each
 * ending in "\n"), a blank line, then signature lines "— <name> <base64(keyhash ‖ sig)>".
 * The key hash is the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key); the
 * verifier key is "<name>+<hex key hash>+<base64(0x01 ‖ public key)>".
 */
const ED25519 = 0x01;
const EM_DASH = "\u2014";

export function keyHash(name: string, publicKey: Buffer): Buffer {
  return createHash("sha256")
    .update(Buffer.from(`${name}\n`, "utf8"))
    .update(Buffer.from([ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function verifierKey(name: string, publicKey: Buffer): string {
  return `${name}+${keyHash(name, publicKey).toString("hex")}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString("base64")}`;
}

export function checkpointText(origin: string, treeSize: number, rootHash: Buffer): string {
  return `${origin}\n${treeSize}\n${rootHash.toString("base64")}\n`;
}

export function signNote(text: string, name: string, signingKey: KeyObject, publicKey: Buffer): string {
  const signature = sign(null, Buffer.from(text, "utf8"), signingKey);
  const line = Buffer.concat([keyHash(name, publicKey), signature]).toString("base64");
  return `${text}\n${EM_DASH} ${name} ${line}\n`;
}

export interface ParsedCheckpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
}

/**
 * Checks a checkpoint note against one key and parses it; null when the note is malformed,
 * carries no signature from that key, or the signature does not verify.
 */
export function openCheckpoint(note: string, name: string, publicKey: Buffer): ParsedCheckpoint | null {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return null;
  const text = note.slice(0, split + 1);
  const want = keyHash(name, publicKey);
  let verified = false;
  for (const line of note.slice(split + 2).split("\n")) {
    if (!line.startsWith(`${EM_DASH} ${name} `)) continue;
    const blob = Buffer.from(line.slice(EM_DASH.length + name.length + 2), "base64");
    if (blob.length !== 68 || !blob.subarray(0, 4).equals(want)) continue;
    if (verify(null, Buffer.from(text, "utf8"), publicKeyObject(publicKey), blob.subarray(4))) verified = true;
  }
  if (!verified) return null;
  const lines = text.split("\n");
  const [origin, size, root] = lines;
  if (origin === undefined || size === undefined || root === undefined || !/^(0|[1-9][0-9]*)$/.test(size)) return null;
  const rootHash = Buffer.from(root, "base64");
  if (rootHash.length !== 32) return null;
  return { origin, treeSize: Number(size), rootHash };
}
