import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/db/client";
import { webhookOutbox } from "@/db/schema";
import { getEnv } from "@/lib/env";
import type { WebhookEventType } from "./event-types";
import { webhookEventWanted } from "./events";

/**
 * Queues one webhook message in the caller's transaction (the durable outbox), so a message
 * exists exactly when the change it reports committed. Nothing is queued when
 * FLIGHTDECK_WEBHOOK_URL is unset or FLIGHTDECK_WEBHOOK_EVENTS leaves this type out. `text`
 * lets a Slack or Teams incoming-webhook relay forward the message as is; `data` is the
 * structured body.
 */
export async function enqueueWebhook(
  tx: Tx,
  type: WebhookEventType,
  message: { text: string; data: Record<string, unknown> },
): Promise<void> {
  if (!getEnv().FLIGHTDECK_WEBHOOK_URL || !webhookEventWanted(type)) return;
  await tx.insert(webhookOutbox).values({
    id: `msg_${randomUUID()}`,
    eventType: type,
    payload: { type, timestamp: new Date().toISOString(), text: message.text, data: message.data },
  });
}

/** A link into the cockpit for a message (absolute when FLIGHTDECK_BASE_URL is set). */
export function cockpitLink(path: string): string {
  return `${getEnv().FLIGHTDECK_BASE_URL ?? ""}${path}`;
}
