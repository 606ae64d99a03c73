import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Durable outbox for FLIGHTDECK_WEBHOOK_URL: written in the reported change's transaction, delivered with retries. */
export const webhookOutbox = pgTable(
  "webhook_outbox",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    /** Standard Webhooks webhook-id: stable across retries. */
    id: text("id").notNull().unique(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("webhook_outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`delivered_at is null and failed_at is null`),
  ],
);
