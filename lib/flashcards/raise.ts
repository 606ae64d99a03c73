import "server-only";
import { notifyLive } from "@/lib/live/channel";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { flashcards } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/types";
import type { Authorization } from "@/lib/audit";
import { enqueueCardWebhook } from "./card-webhook";
import type { RaiseInput, RaiseResult } from "./types";

const RUNTIME_ACTOR: AuditInput["actor"] = { kind: "system", id: "flashcards", label: "flashcard detector" };

export interface RaiseOptions {
  /** When an open card with this fingerprint exists: count it again (default) or leave it as is. */
  onRepeat?: "count" | "ignore";
  /** Audit events go here instead of being appended now (checkpoints append theirs last). */
  auditSink?: AuditInput[];
  authorization?: Authorization;
}

/**
 * Raises a card or counts an open one again, in the caller's transaction: one
 * INSERT … ON CONFLICT on the partial unique index over live fingerprints, so two
 * detectors racing on one fingerprint still make one card. A new card is audited
 * (flashcard.raised) and queued for the webhook; a repeat only bumps count and last seen.
 */
export async function raiseFlashcard(tx: Tx, input: RaiseInput, options: RaiseOptions = {}): Promise<RaiseResult> {
  const id = `fc_${randomUUID()}`;
  const values = {
    id,
    fingerprint: input.fingerprint.slice(0, 500),
    kind: input.kind,
    severity: input.severity,
    title: input.title.slice(0, 300),
    why: input.why.slice(0, 2000),
    runId: input.runId ?? null,
    jobId: input.jobId ?? null,
    entity: input.entity ?? null,
    approvalId: input.approvalId ?? null,
    evidence: input.evidence ?? [],
    details: input.details ?? {},
    expiresAt: input.expiresAt ?? null,
    onExpiry: input.onExpiry ?? null,
    approvalsRequired: input.approvalsRequired ?? 1,
  };
  const repeat = options.onRepeat ?? "count";
  const query = tx
    .insert(flashcards)
    .values(values)
    .onConflictDoUpdate({
      target: flashcards.fingerprint,
      targetWhere: sql`state in ('open', 'snoozed')`,
      set:
        repeat === "count"
          ? {
              count: sql`${flashcards.count} + 1`,
              lastSeenAt: sql`now()`,
              updatedAt: sql`now()`,
              why: sql`excluded.why`,
              details: sql`excluded.details`,
              // A repeat never lowers the severity.
              severity: sql`case when ${flashcards.severity} = 'critical' or excluded.severity = 'critical' then 'critical'
                when ${flashcards.severity} = 'warning' or excluded.severity = 'warning' then 'warning' else 'info' end`,
            }
          : { fingerprint: sql`${flashcards.fingerprint}` },
    })
    .returning({ id: flashcards.id, count: flashcards.count });
  const [row] = await query;
  if (!row) throw new Error("flashcard upsert returned no row");
  const created = row.id === id;
  // A repeat changes the count and last-seen the queue shows, so it is a change too.
  await notifyLive(tx, "flashcard", row.id);
  if (created) {
    const event: AuditInput = {
      actor: RUNTIME_ACTOR,
      authorization: options.authorization ?? { via: "system", reason: "flashcard detector" },
      action: "flashcard.raised",
      subject: { type: "flashcard", id },
      payload: {
        kind: input.kind,
        severity: input.severity,
        fingerprint: values.fingerprint,
        runId: values.runId,
        jobId: values.jobId,
        why: values.why,
      },
    };
    if (options.auditSink) options.auditSink.push(event);
    else await appendAudit(tx, event);
    await enqueueCardWebhook(tx, "flashcard.created", { ...values, state: "open", count: 1 });
  }
  return { id: row.id, created, count: row.count };
}
