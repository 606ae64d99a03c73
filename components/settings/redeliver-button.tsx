"use client";

import { Button } from "@/components/ui/button";
import { redeliverWebhookAction } from "@/lib/actions";
import { useActionRunner } from "./use-action-runner";

/** Puts a given-up message back in the outbox, due now; the list refreshes with its new status. */
export function RedeliverButton({ id, type }: { id: string; type: string }) {
  const { pending, run } = useActionRunner();
  return (
    <Button
      size="sm"
      variant="secondary"
      loading={pending}
      aria-label={`Redeliver ${type} message ${id}`}
      onClick={() => run(() => redeliverWebhookAction({ id }), { success: "Queued again; it is sent within seconds" })}
    >
      Redeliver
    </Button>
  );
}
