import type { Metadata } from "next";
import { WebhookDeliveries } from "@/components/settings/webhook-deliveries";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { principalRole, roleAllows } from "@/lib/auth";
import { getEnv } from "@/lib/env";
import { deliveryStatuses, listWebhookDeliveries, type DeliveryStatus } from "@/lib/webhooks";
import { getDb } from "@/db/client";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

function pick(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await authorizePage("webhooks.read");
  const canManage = roleAllows(principalRole(principal), "webhooks.manage");
  const params = await searchParams;
  const wanted = pick(params.status);
  const status = deliveryStatuses.find((s) => s === wanted) as DeliveryStatus | undefined;
  const before = Number(pick(params.before));
  const log = await listWebhookDeliveries(await getDb(), {
    status,
    before: Number.isInteger(before) && before > 0 ? before : undefined,
    limit: 50,
  });
  const env = getEnv();

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Every message sent to FLIGHTDECK_WEBHOOK_URL: what it said, how many tries it took and why a try failed. Messages are signed per Standard Webhooks and retried with backoff (5 s doubling to 1 h, 12 tries)."
      />
      <WebhookDeliveries
        log={log}
        status={status ?? null}
        canManage={canManage}
        target={env.FLIGHTDECK_WEBHOOK_URL ? new URL(env.FLIGHTDECK_WEBHOOK_URL).origin : null}
        events={env.FLIGHTDECK_WEBHOOK_EVENTS ?? null}
      />
    </>
  );
}
