import "server-only";
import { sql } from "drizzle-orm";
import { auditLog, type ActorKind } from "@/db/schema";
import type { AuditEvent } from "./types";

/**
 * Columns selected to rebuild an event, its seq aside. ts comes back as epoch milliseconds so the
 * ISO string that was MACed and hashed is rebuilt exactly, whatever the driver does with timestamps.
 * A query on audit_log that selects none of its seq plans as on audit_events alone (the join is removed).
 */
export const auditEventContentColumns = {
  id: auditLog.id,
  tsMs: sql<string>`(extract(epoch from ${auditLog.ts}) * 1000)::bigint`.mapWith(Number),
  actorKind: auditLog.actorKind,
  actorId: auditLog.actorId,
  actorLabel: auditLog.actorLabel,
  action: auditLog.action,
  subjectType: auditLog.subjectType,
  subjectId: auditLog.subjectId,
  authorization: auditLog.authorization,
  payload: auditLog.payload,
  nonce: auditLog.nonce,
  mac: auditLog.mac,
  prevHash: auditLog.prevHash,
  hash: auditLog.hash,
};

/** Every column of an event, its seq (null while unsealed) included. */
export const auditEventColumns = { ...auditEventContentColumns, seq: auditLog.seq };

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
