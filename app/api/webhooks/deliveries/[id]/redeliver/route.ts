import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { redeliverWebhook, webhookDeliverySchema as webhookDelivery } from "@/lib/webhooks";

export const dynamic = "force-dynamic";

/** Sends a failed message again (404 unknown, 409 not failed); audited as webhook.redelivered. */
export const POST = apiRoute(
  {
    permission: "webhooks.manage",
    doc: {
      summary: "Redeliver a failed webhook message",
      description: "Audited as webhook.redelivered; 409 when the message has not failed.",
      tags: ["webhooks"],
      responses: {
        200: { description: "The delivery, queued again", schema: z.object({ delivery: webhookDelivery }) },
      },
      errors: [404, 409],
    },
  },
  async ({ params, principal }) => {
    const id = params.id;
    if (typeof id !== "string" || id === "") throw new AppError("bad_request", "Message id is required");
    return { delivery: await redeliverWebhook(await getDb(), principal, id) };
  },
);
