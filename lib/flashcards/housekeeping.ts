import "server-only";
import type { Db } from "@/db/client";
import { deliverWebhooks } from "@/lib/webhooks";
import { expireDueCards, flagStuckWaits, returnSnoozedCards } from "./sweep";

export interface HousekeepingCounts {
  returned: number;
  expired: number;
  stuck: number;
  delivered: number;
  failedDeliveries: number;
}

/**
 * The periodic part of the flashcards, run by every worker's sweep: snoozed cards that
 * are due return, expired approvals get their default, long waits are flagged (at most
 * every `everyMs`), and due webhooks are delivered. Each query is bounded by a partial
 * index (snoozed cards, cards with an expiry, undelivered outbox rows) or by the waiting runs.
 */
export function createHousekeeper(db: Db, everyMs = 5_000): () => Promise<HousekeepingCounts> {
  let last = 0;
  return async () => {
    const counts: HousekeepingCounts = { returned: 0, expired: 0, stuck: 0, delivered: 0, failedDeliveries: 0 };
    const now = Date.now();
    if (now - last >= everyMs) {
      last = now;
      counts.returned = await returnSnoozedCards(db);
      counts.expired = await expireDueCards(db);
      counts.stuck = await flagStuckWaits(db);
    }
    const delivery = await deliverWebhooks(db);
    counts.delivered = delivery.delivered;
    counts.failedDeliveries = delivery.failed;
    return counts;
  };
}
