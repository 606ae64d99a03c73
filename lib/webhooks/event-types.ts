/** Every message type Flightdeck sends (the env module validates FLIGHTDECK_WEBHOOK_EVENTS against it). */
export const webhookEventTypes = [
  "run.failed",
  "run.needs_attention",
  "flashcard.created",
  "flashcard.decided",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
