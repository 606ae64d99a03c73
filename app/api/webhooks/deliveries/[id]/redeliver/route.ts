import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { redeliverWebhook } from "@/lib/webhooks";

export const dynamic = "force-dynamic";

/** Sends a failed message again (404 unknown, 409 not failed); audited as webhook.redelivered. */
export const POST = apiRoute({ permission: "webhooks.manage" }, async ({ params, principal }) => {
  const id = params.id;
  if (typeof id !== "string" || id === "") throw new AppError("bad_request", "Message id is required");
  return { delivery: await redeliverWebhook(await getDb(), principal, id) };
});
