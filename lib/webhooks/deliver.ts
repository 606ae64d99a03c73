import "server-only";
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookOutbox } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { signWebhook } from "./signature";

/** Attempts before a delivery is given up (failed_at set); backoff doubles from 5 s up to 1 h. */
export const WEBHOOK_MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 3_600_000;
const TIMEOUT_MS = 10_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers due outbox rows (oldest first, at most `limit`): each is claimed with
 * FOR UPDATE SKIP LOCKED and its next attempt pushed out before the POST, so two workers
 * never send one row at once and a crash mid-POST only means a retry (receivers dedupe on
 * webhook-id, which stays the same). 2xx → delivered; anything else → retried with backoff.
 */
export async function deliverWebhooks(
  db: Db,
  limit = 20,
  fetchImpl: typeof fetch = fetch,
): Promise<{ delivered: number; failed: number }> {
  const env = getEnv();
  const url = env.FLIGHTDECK_WEBHOOK_URL;
  const secret = env.FLIGHTDECK_WEBHOOK_SECRET;
  if (!url || !secret) return { delivered: 0, failed: 0 };
  let delivered = 0;
  let failed = 0;
  for (let i = 0; i < limit; i++) {
    const row = await db.transaction(async (tx) => {
      const [due] = await tx
        .select()
        .from(webhookOutbox)
        .where(
          and(
            isNull(webhookOutbox.deliveredAt),
            isNull(webhookOutbox.failedAt),
            lte(webhookOutbox.nextAttemptAt, sql`now()`),
          ),
        )
        .orderBy(asc(webhookOutbox.nextAttemptAt))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!due) return null;
      const attempts = due.attempts + 1;
      await tx
        .update(webhookOutbox)
        .set({ attempts, nextAttemptAt: sql`now() + (${retryDelayMs(attempts)}::int * interval '1 millisecond')` })
        .where(eq(webhookOutbox.seq, due.seq));
      return { ...due, attempts };
    });
    if (!row) break;
    const body = JSON.stringify(row.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    let error: string | null = null;
    try {
      const response = await fetchImpl(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": row.id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signWebhook(secret, row.id, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "manual",
      });
      if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (error === null) {
      await db
        .update(webhookOutbox)
        .set({ deliveredAt: sql`now()`, lastError: null })
        .where(eq(webhookOutbox.seq, row.seq));
      delivered += 1;
    } else {
      const giveUp = row.attempts >= WEBHOOK_MAX_ATTEMPTS;
      await db
        .update(webhookOutbox)
        .set({ lastError: error.slice(0, 500), ...(giveUp ? { failedAt: sql`now()` } : {}) })
        .where(eq(webhookOutbox.seq, row.seq));
      failed += 1;
    }
  }
  return { delivered, failed };
}
