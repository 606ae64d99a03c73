import "server-only";
import { randomBytes } from "node:crypto";
import type { Queryable } from "@/db/client";
import { sql } from "drizzle-orm";
import { redact, redactString } from "@/lib/redaction";
import { storableString, toJsonObject } from "./canonical";
import { auditKeys } from "./keys";
import { eventMac } from "./leaf";
import type { AuditEventContent, AuditInput } from "./types";

/** Normalises an input into exactly what is stored (and so what the MAC and the leaf cover). */
export function auditContent(input: AuditInput, ts: Date): AuditEventContent {
  // Text columns are normalised like jsonb strings, or the MAC would cover characters
  // the database cannot store and verification would fail on a harmless label.
  const text = (s: string) => storableString(redactString(s));
  const nullableText = (s: string | null) => (s === null ? null : text(s));
  return {
    ts: ts.toISOString(),
    actor: { kind: input.actor.kind, id: nullableText(input.actor.id), label: text(input.actor.label) },
    action: text(input.action),
    subject: { type: text(input.subject.type), id: nullableText(input.subject.id) },
    authorization: toJsonObject(redact(input.authorization)),
    payload: toJsonObject(redact(input.payload ?? {})),
  };
}

/**
 * Records events inside the caller's transaction (they commit or roll back with the
 * change they describe) in ONE insert, without any shared lock: concurrent writers commit
 * in parallel. Each event gets a random nonce and the writer's MAC; the sealer later
 * assigns its seq and makes it a leaf of the Merkle log (lib/audit/seal.ts).
 */
export async function appendAuditEvents(tx: Queryable, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  // One jsonb parameter into a plpgsql function (drizzle/0031) instead of drizzle's multi-row INSERT:
  // its plan is made once per connection, and building the statement cost this process more than the rows.
  await tx.execute(sql`select flightdeck_append_audit(${auditRowsJson(inputs)}::jsonb)`);
}

/**
 * The same rows as one jsonb array, for the hot path's SQL functions that insert them in their
 * own statement (flightdeck_append_audit, drizzle/0028_take_slot.sql): same content, MAC and order.
 */
export function auditRowsJson(inputs: readonly AuditInput[]): string {
  return JSON.stringify(auditRows(inputs));
}

function auditRows(inputs: readonly AuditInput[]) {
  const { macKey } = auditKeys();
  const now = new Date();
  return inputs.map((input) => {
    const content = auditContent(input, now);
    const nonce = randomBytes(16).toString("base64");
    return {
      ts: now,
      actorKind: content.actor.kind,
      actorId: content.actor.id,
      actorLabel: content.actor.label,
      action: content.action,
      subjectType: content.subject.type,
      subjectId: content.subject.id,
      authorization: content.authorization,
      payload: content.payload,
      nonce,
      mac: eventMac(macKey, nonce, content),
    };
  });
}

/** One event; prefer appendAuditEvents when a transaction records several. */
export async function appendAudit(tx: Queryable, input: AuditInput): Promise<void> {
  await appendAuditEvents(tx, [input]);
}
