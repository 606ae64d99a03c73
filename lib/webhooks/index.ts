import "server-only";

export { enqueueWebhook, cockpitLink } from "./outbox";
export { webhookEventTypes, type WebhookEventType } from "./event-types";
export { deliverWebhooks, retryDelayMs, WEBHOOK_MAX_ATTEMPTS } from "./deliver";
export { pruneWebhookOutbox } from "./prune";
export { signWebhook, verifyWebhook } from "./signature";
export {
  listWebhookDeliveries,
  listDeliveriesQuery,
  redeliverWebhook,
  deliveryStatuses,
  webhookDeliverySchema,
  type DeliveryLog,
  type DeliveryStatus,
  type WebhookDelivery,
} from "./deliveries";
