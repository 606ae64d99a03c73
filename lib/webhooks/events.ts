/** Every message type Flightdeck sends. */
export const webhookEventTypes = ["flashcard.created", "flashcard.decided"] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
