import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";
import type { AuditEvent } from "./types";

/** prev_hash of the first event: there is nothing before it. */
export const GENESIS_HASH = "0".repeat(64);

/** Everything an event's hash covers besides prev_hash. */
export type AuditContent = Pick<
  AuditEvent,
  "seq" | "ts" | "actor" | "action" | "subject" | "authorization" | "payload"
>;

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
