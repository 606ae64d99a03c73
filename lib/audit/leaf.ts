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
  return leafFromParts(seq, canonicalParts(content));
}

/**
 * The canonical JSON of each member an event's leaf and MAC share, computed once when
 * both are needed (the sealer and verify do both for every event). Assembled in JCS key
 * order — action, actor, authorization, nonce, payload, seq, subject, ts — the result is
 * byte for byte canonicalJson of the whole object (tested).
 */
export interface CanonicalParts {
  action: string;
  actor: string;
  authorization: string;
  payload: string;
  subject: string;
  ts: string;
}

export function canonicalParts(content: AuditEventContent): CanonicalParts {
  const { actor, subject } = content;
  // Actor and subject written member by member in key order (id, kind, label; id, type):
  // the same bytes as canonicalJson of the object, without building and sorting one per event.
  return {
    action: canonicalJson(content.action),
    actor: `{"id":${canonicalJson(actor.id)},"kind":${canonicalJson(actor.kind)},"label":${canonicalJson(actor.label)}}`,
    authorization: canonicalJson(content.authorization),
    payload: canonicalJson(content.payload),
    subject: `{"id":${canonicalJson(subject.id)},"type":${canonicalJson(subject.type)}}`,
    ts: canonicalJson(content.ts),
  };
}

export function leafFromParts(seq: number, p: CanonicalParts): string {
  return `{"action":${p.action},"actor":${p.actor},"authorization":${p.authorization},"payload":${p.payload},"seq":${canonicalJson(seq)},"subject":${p.subject},"ts":${p.ts}}`;
}

function macMessage(nonce: string, p: CanonicalParts): string {
  return `{"action":${p.action},"actor":${p.actor},"authorization":${p.authorization},"nonce":${canonicalJson(nonce)},"payload":${p.payload},"subject":${p.subject},"ts":${p.ts}}`;
}

function partsOf(content: AuditEventContent | CanonicalParts): CanonicalParts {
  return "actor" in content && typeof content.actor === "string"
    ? (content as CanonicalParts)
    : canonicalParts(content as AuditEventContent);
}

/** The writer's MAC (base64 HMAC-SHA-256) over the canonical JSON of the event's content and its random nonce. */
export function eventMac(key: Buffer, nonce: string, content: AuditEventContent | CanonicalParts): string {
  return createHmac("sha256", key)
    .update(macMessage(nonce, partsOf(content)))
    .digest("base64");
}

export function macMatches(
  key: Buffer,
  nonce: string | null,
  mac: string | null,
  content: AuditEventContent | CanonicalParts,
): boolean {
  if (nonce === null || mac === null) return false;
  const want = eventMac(key, nonce, content);
  // A MAC as eventMac wrote it matches as a string (compared in constant time, without
  // decoding both per event); any other spelling of the same bytes is decoded and compared.
  if (sameString(want, mac)) return true;
  const wantBytes = Buffer.from(want, "base64");
  const got = Buffer.from(mac, "base64");
  return got.length === wantBytes.length && timingSafeEqual(got, wantBytes);
}

/** String equality whose time depends on the lengths only, not on where the strings differ. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
