"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { redeliverWebhook } from "@/lib/webhooks";
import { defineAction } from "./define-action";

export const redeliverWebhookAction = defineAction({
  name: "webhooks.redeliver",
  permission: "webhooks.manage",
  input: z.object({ id: z.string().min(1).max(200) }),
  handler: async ({ id }, principal) => redeliverWebhook(await getDb(), principal, id),
});
