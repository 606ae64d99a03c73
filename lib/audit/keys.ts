import "server-only";
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";

/**
 * The audit log's two secrets, held by the application and never by the database:
 * the Ed25519 key that signs checkpoints and the HMAC-SHA-256 key that MACs every event.
 * Each comes from its environment variable (base64 of 32 random bytes; for the signing
 * key those bytes are the Ed25519 private seed) or, when unset, from a file generated on
 * first start in FLIGHTDECK_AUDIT_KEY_DIR (default <FLIGHTDECK_DATA_DIR>/audit-keys).
 * Several instances on one Postgres must share both keys: set the variables, or share the
 * directory. Rotation: docs/SECURITY.md.
 */
export interface AuditKeys {
  /** Note key name: the log origin. */
  origin: string;
  signingKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  macKey: Buffer;
}

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditKeyError";
  }
}

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export function ed25519FromSeed(seed: Buffer): { signingKey: KeyObject; publicKey: Buffer } {
  if (seed.length !== 32) throw new AuditKeyError("an Ed25519 seed is 32 bytes");
  const signingKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(signingKey).export({ format: "der", type: "spki" });
  return { signingKey, publicKey: Buffer.from(spki.subarray(spki.length - 32)) };
}

function decodeKey(name: string, value: string): Buffer {
  const bytes = Buffer.from(value.trim(), "base64");
  if (bytes.length !== 32) throw new AuditKeyError(`${name}: must be base64 of 32 bytes (got ${bytes.length})`);
  return bytes;
}

/** Reads the key file, or creates it (exclusively: two processes starting at once agree on one key). */
function keyFile(dir: string, file: string): Buffer {
  const full = path.resolve(dir, file);
  const read = () => decodeKey(full, readFileSync(full, "utf8"));
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(full), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(full, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return read();
}

let cached: AuditKeys | undefined;

/** Where generated keys live: FLIGHTDECK_AUDIT_KEY_DIR, else <FLIGHTDECK_DATA_DIR>/audit-keys (absolute). */
export function auditKeyDir(): string {
  const env = getEnv();
  // A run-time directory, not a source: the comment keeps Turbopack from tracing the whole project into the build.
  return path.resolve(
    /*turbopackIgnore: true*/ env.FLIGHTDECK_AUDIT_KEY_DIR ?? path.join(env.FLIGHTDECK_DATA_DIR, "audit-keys"),
  );
}

export function auditKeys(): AuditKeys {
  if (cached) return cached;
  const env = getEnv();
  const dir = auditKeyDir();
  const seed = env.FLIGHTDECK_AUDIT_SIGNING_KEY
    ? decodeKey("FLIGHTDECK_AUDIT_SIGNING_KEY", env.FLIGHTDECK_AUDIT_SIGNING_KEY)
    : keyFile(dir, "signing.key");
  const macKey = env.FLIGHTDECK_AUDIT_MAC_KEY
    ? decodeKey("FLIGHTDECK_AUDIT_MAC_KEY", env.FLIGHTDECK_AUDIT_MAC_KEY)
    : keyFile(dir, "mac.key");
  cached = { origin: env.FLIGHTDECK_AUDIT_LOG_ORIGIN, ...ed25519FromSeed(seed), macKey };
  return cached;
}

/** Tests swap keys between cases. */
export function resetAuditKeys(): void {
  cached = undefined;
}

/** A short fingerprint of the MAC key for logs and health (never the key). */
export function macKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}
