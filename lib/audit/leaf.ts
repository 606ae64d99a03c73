import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "./canonical";
import type { AuditEventContent } from "./types";

/**
 * The leaf string of a sealed event: RFC 8785 (JCS) canonical JSON of its seq, time,
 * actor, action, subject, authorization and payload. canonicalJson sorts keys by UTF-16
 * code units and writes numbers and strings as ECMAScript does, which is JCS.
 */
export function leafString(seq: number, content: AuditEventContent): string {
  return canonicalJson({
    seq,
    ts: content.ts,
    actor: { kind: content.actor.kind, id: content.actor.id, label: content.actor.label },
    action: content.action,
    subject: { type: content.subject.type, id: content.subject.id },
    authorization: content.authorization,
    payload: content.payload,
  });
}

/** The writer's MAC (base64 HMAC-SHA-256) over the event's content and its random nonce. */
export function eventMac(key: Buffer, nonce: string, content: AuditEventContent): string {
  const message = canonicalJson({
    nonce,
    ts: content.ts,
    actor: { kind: content.actor.kind, id: content.actor.id, label: content.actor.label },
    action: content.action,
    subject: { type: content.subject.type, id: content.subject.id },
    authorization: content.authorization,
    payload: content.payload,
  });
  return createHmac("sha256", key).update(message).digest("base64");
}

export function macMatches(key: Buffer, nonce: string | null, mac: string | null, content: AuditEventContent): boolean {
  if (nonce === null || mac === null) return false;
  const want = Buffer.from(eventMac(key, nonce, content), "base64");
  const got = Buffer.from(mac, "base64");
  return got.length === want.length && timingSafeEqual(got, want);
}
