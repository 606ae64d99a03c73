import { z } from "zod";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/http";
import { listDeliveriesQuery, listWebhookDeliveries, webhookDeliverySchema as webhookDelivery } from "@/lib/webhooks";

export const dynamic = "force-dynamic";

/** GET /api/webhooks/deliveries?status&type&before&limit → { deliveries, nextBefore, counts } (admins). */
export const GET = apiRoute(
  {
    permission: "webhooks.read",
    doc: {
      summary: "The webhook delivery log",
      description:
        "What was sent where, when, how many tries and why a try failed; newest first, paged by `nextBefore`.",
      tags: ["webhooks"],
      responses: {
        200: {
          description: "A page of deliveries",
          schema: z.object({
            deliveries: z.array(webhookDelivery),
            nextBefore: z.number().nullable(),
            counts: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    query: listDeliveriesQuery,
  },
  async ({ query }) => listWebhookDeliveries(await getDb(), query),
);
