import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";
import type { AuditEventContent } from "./types";

/**
 * The hash chain of the audit log before the Merkle log (0008_audit_merkle). Events
 * recorded then keep prev_hash/hash; verify re-checks them and the sealer integrates them
 * as the tree's first leaves.
 */

/** prev_hash of the first event: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);

/** Everything a pre-Merkle chained event's hash covers besides prev_hash. */
export type AuditContent = AuditEventContent & { seq: number };

/** SHA-256 (hex) over the canonical JSON of the content followed by prev_hash. */
export function computeAuditHash(content: AuditContent, prevHash: string): string {
  const canonical = canonicalJson({
    seq: content.seq,
    ts: content.ts,
    actor: { kind: content.actor.kind, id: content.actor.id, label: content.actor.label },
    action: content.action,
    subject: { type: content.subject.type, id: content.subject.id },
    authorization: content.authorization,
    payload: content.payload,
  });
  return createHash("sha256").update(canonical).update(prevHash).digest("hex");
}
