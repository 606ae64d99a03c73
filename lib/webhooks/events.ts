import "server-only";
import { getEnv } from "@/lib/env";
import type { WebhookEventType } from "./event-types";

/** FLIGHTDECK_WEBHOOK_EVENTS picks the message types sent (default: all). */
export function webhookEventWanted(type: WebhookEventType): boolean {
  const wanted = getEnv().FLIGHTDECK_WEBHOOK_EVENTS;
  return wanted === undefined || wanted.includes(type);
}
