import "server-only";
import { sql } from "drizzle-orm";
import { auditEvents, type ActorKind } from "@/db/schema";
import type { AuditEvent } from "./types";

/**
 * Columns selected to rebuild an event. ts comes back as epoch milliseconds so the ISO
 * string that was MACed and hashed is rebuilt exactly, whatever the driver does with timestamps.
 */
export const auditEventColumns = {
  id: auditEvents.id,
  seq: auditEvents.seq,
  tsMs: sql<string>`(extract(epoch from ${auditEvents.ts}) * 1000)::bigint`.mapWith(Number),
  actorKind: auditEvents.actorKind,
  actorId: auditEvents.actorId,
  actorLabel: auditEvents.actorLabel,
  action: auditEvents.action,
  subjectType: auditEvents.subjectType,
  subjectId: auditEvents.subjectId,
  authorization: auditEvents.authorization,
  payload: auditEvents.payload,
  nonce: auditEvents.nonce,
  mac: auditEvents.mac,
  prevHash: auditEvents.prevHash,
  hash: auditEvents.hash,
};

export interface AuditEventRow {
  id: number;
  seq: number | null;
  tsMs: number;
  actorKind: ActorKind;
  actorId: string | null;
  actorLabel: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  authorization: Record<string, unknown>;
  payload: Record<string, unknown>;
  nonce: string | null;
  mac: string | null;
  prevHash: string | null;
  hash: string | null;
}

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    seq: row.seq,
    sealed: row.seq !== null,
    ts: new Date(row.tsMs).toISOString(),
    actor: { kind: row.actorKind, id: row.actorId, label: row.actorLabel },
    action: row.action,
    subject: { type: row.subjectType, id: row.subjectId },
    authorization: row.authorization,
    payload: row.payload,
  };
}
