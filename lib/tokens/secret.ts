import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** Tokens look like `fd_<43 base64url chars>`: 32 random bytes, recognisable in logs and scanners. */
export const tokenPrefix = "fd_";
const displayPrefixLength = 10;

export function generateTokenSecret(): string {
  return tokenPrefix + randomBytes(32).toString("base64url");
}

/** Only this digest is stored; a stolen table does not hand out working tokens. */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The leading characters shown in lists so people can tell their tokens apart. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, displayPrefixLength);
}
