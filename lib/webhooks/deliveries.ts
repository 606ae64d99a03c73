import "server-only";
import { and, desc, eq, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "@/db/client";
import { webhookOutbox } from "@/db/schema";
import { appendAudit, auditActor, auditAuthorization, type Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { webhookEventTypes, type WebhookEventType } from "./event-types";
import { WEBHOOK_MAX_ATTEMPTS } from "./deliver";

export const deliveryStatuses = ["pending", "retrying", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** GET /api/webhooks/deliveries and the admin page: newest first, filtered, paged by seq. */
export const listDeliveriesQuery = z.object({
  status: z.enum(deliveryStatuses).optional(),
  type: z.enum(webhookEventTypes).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().default(50),
});
export type ListDeliveriesQuery = z.input<typeof listDeliveriesQuery>;

export interface WebhookDelivery {
  seq: number;
  id: string;
  type: string;
  status: DeliveryStatus;
  /** The one line a relay forwards: what the receiver was told. */
  text: string;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  lastError: string | null;
  createdAt: string;
}

/** A delivery as the API answers it; `satisfies` keeps the schema and the type in step. */
export const webhookDeliverySchema = z.object({
  seq: z.number(),
  id: z.string(),
  type: z.string(),
  status: z.enum(deliveryStatuses),
  text: z.string(),
  attempts: z.number(),
  maxAttempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
}) satisfies z.ZodType<WebhookDelivery>;

type Row = typeof webhookOutbox.$inferSelect;

function statusOf(row: Row): DeliveryStatus {
  if (row.deliveredAt) return "delivered";
  if (row.failedAt) return "failed";
  return row.attempts === 0 ? "pending" : "retrying";
}

function toDelivery(row: Row): WebhookDelivery {
  const status = statusOf(row);
  const text = row.payload.text;
  return {
    seq: row.seq,
    id: row.id,
    type: row.eventType,
    status,
    text: typeof text === "string" ? text : "",
    attempts: row.attempts,
    maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    nextAttemptAt: status === "pending" || status === "retrying" ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    failedAt: row.failedAt?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
  };
}

function statusFilter(status: DeliveryStatus): SQL | undefined {
  switch (status) {
    case "delivered":
      return isNotNull(webhookOutbox.deliveredAt);
    case "failed":
      return isNotNull(webhookOutbox.failedAt);
    case "pending":
      return and(isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.failedAt), eq(webhookOutbox.attempts, 0));
    case "retrying":
      return and(isNull(webhookOutbox.deliveredAt), isNull(webhookOutbox.failedAt), sql`${webhookOutbox.attempts} > 0`);
  }
}

export interface DeliveryLog {
  deliveries: WebhookDelivery[];
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: number | null;
  counts: Record<DeliveryStatus, number>;
}

/** The delivery log: what was sent where, when, how many tries and why a try failed. */
export async function listWebhookDeliveries(db: Queryable, input: ListDeliveriesQuery = {}): Promise<DeliveryLog> {
  const query = listDeliveriesQuery.parse(input);
  const rows = await db
    .select()
    .from(webhookOutbox)
    .where(
      and(
        query.status ? statusFilter(query.status) : undefined,
        query.type ? eq(webhookOutbox.eventType, query.type satisfies WebhookEventType) : undefined,
        query.before ? lt(webhookOutbox.seq, query.before) : undefined,
      ),
    )
    .orderBy(desc(webhookOutbox.seq))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const [count] = await db
    .select({
      pending: sql<number>`count(*) filter (where delivered_at is null and failed_at is null and attempts = 0)::int`,
      retrying: sql<number>`count(*) filter (where delivered_at is null and failed_at is null and attempts > 0)::int`,
      delivered: sql<number>`count(*) filter (where delivered_at is not null)::int`,
      failed: sql<number>`count(*) filter (where failed_at is not null)::int`,
    })
    .from(webhookOutbox);
  return {
    deliveries: page.map(toDelivery),
    nextBefore: rows.length > query.limit ? (page.at(-1)?.seq ?? null) : null,
    counts: count ?? { pending: 0, retrying: 0, delivered: 0, failed: 0 },
  };
}

/**
 * Sends a given-up message again: its attempts start over and it is due at once. The
 * webhook-id stays the same, so a receiver that did get it after all drops the copy. Only a
 * failed message can be redelivered (409 otherwise: it is delivered or still being tried).
 */
export async function redeliverWebhook(db: Db, actor: Principal, id: string): Promise<WebhookDelivery> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookOutbox)
      .set({ failedAt: null, attempts: 0, nextAttemptAt: sql`now()` })
      .where(and(eq(webhookOutbox.id, id), isNotNull(webhookOutbox.failedAt)))
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(webhookOutbox).where(eq(webhookOutbox.id, id));
      if (!existing) throw new AppError("not_found", "No such webhook message");
      throw new AppError("conflict", `Only a failed message can be redelivered; this one is ${statusOf(existing)}`);
    }
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: "webhook.redelivered",
      subject: { type: "webhook_message", id: row.id },
      authorization: auditAuthorization(actor, "webhooks.manage"),
      payload: { type: row.eventType, lastError: row.lastError },
    });
    return toDelivery(row);
  });
}
