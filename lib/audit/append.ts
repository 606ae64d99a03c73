import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditEvents } from "@/db/schema";
import { redact, redactString } from "@/lib/redaction";
import { storableString, toJsonObject } from "./canonical";
import { GENESIS_HASH, computeAuditHash } from "./hash";
import type { AuditInput } from "./types";

/** Transaction-scoped advisory lock key that serialises the chain head ("fdaud"). */
export const AUDIT_LOCK_KEY = 0x6664617564;

interface HeadRow {
  seq: string | number | bigint | null;
  hash: string | null;
  head_ms: string | number | bigint | null;
  now_ms: string | number | bigint;
}

/**
 * Appends one event to the chain inside the caller's transaction, so the event commits
 * or rolls back with the change it records. The advisory lock is held until that
 * transaction ends: writers queue on it, each reads the committed head, and a rollback
 * frees the seq it would have taken (no SEQUENCE, so no gaps).
 *
 * Run it in a READ COMMITTED transaction (the default): under REPEATABLE READ a snapshot
 * taken before the lock cannot see the head, and the insert fails on the seq key.
 * Call it as the last write of the transaction: every audited writer queues on the lock
 * until this one commits, and row locks taken after it can deadlock with writers that
 * took those rows first and now wait for the lock.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<{ seq: number; hash: string }> {
  const authorization = toJsonObject(redact(input.authorization));
  const payload = toJsonObject(redact(input.payload ?? {}));
  // Text columns are normalised like jsonb strings, or the hash would cover characters
  // the database cannot store and verification would fail on a harmless label.
  const text = (s: string) => storableString(redactString(s));
  const nullableText = (s: string | null) => (s === null ? null : text(s));
  const actor = { kind: input.actor.kind, id: nullableText(input.actor.id), label: text(input.actor.label) };
  const subject = { type: text(input.subject.type), id: nullableText(input.subject.id) };
  const action = text(input.action);

  // Lock and head read are separate statements on purpose: a statement's snapshot is
  // taken before it starts waiting, so a head read in the locking statement would be stale.
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
  // Clock read after the lock, and never behind the head, so ts order follows seq order.
  const [head] = rowsOf<HeadRow>(
    await tx.execute(sql`
      select h.seq, h.hash,
             (extract(epoch from h.ts) * 1000)::bigint as head_ms,
             floor(extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms
      from (select 1) as one
      left join lateral (
        select seq, hash, ts from audit_events order by seq desc limit 1
      ) as h on true`),
  );
  if (!head) throw new Error("audit head query returned no row");
  const prevSeq = head.seq === null ? 0 : Number(head.seq);
  const prevHash = head.hash ?? GENESIS_HASH;
  const ms = Math.max(Number(head.now_ms), head.head_ms === null ? 0 : Number(head.head_ms));
  const ts = new Date(ms);
  const seq = prevSeq + 1;

  const hash = computeAuditHash(
    { seq, ts: ts.toISOString(), actor, action, subject, authorization, payload },
    prevHash,
  );
  await tx.insert(auditEvents).values({
    seq,
    ts,
    actorKind: actor.kind,
    actorId: actor.id,
    actorLabel: actor.label,
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    authorization,
    payload,
    prevHash,
    hash,
  });
  return { seq, hash };
}
