import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { listDeliveriesQuery, listWebhookDeliveries } from "@/lib/webhooks";

export const dynamic = "force-dynamic";

/** GET /api/webhooks/deliveries?status&type&before&limit → { deliveries, nextBefore, counts } (admins). */
export const GET = apiRoute({ permission: "webhooks.read", query: listDeliveriesQuery }, async ({ query }) =>
  listWebhookDeliveries(await getDb(), query),
);
