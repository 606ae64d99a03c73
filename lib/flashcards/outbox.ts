import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/db/client";
import { webhookOutbox } from "@/db/schema";
import { getEnv } from "@/lib/env";
import type { FlashcardRow } from "./types";

export type WebhookEventType = "flashcard.created" | "flashcard.decided";

/**
 * Queues a webhook delivery in the caller's transaction (the durable outbox): nothing is
 * queued when FLIGHTDECK_WEBHOOK_URL is unset. The payload carries `text` so a Slack or
 * Teams incoming-webhook relay can forward it as is, plus the structured card.
 */
export async function enqueueCardWebhook(
  tx: Tx,
  type: WebhookEventType,
  card: Pick<FlashcardRow, "id" | "kind" | "severity" | "state" | "title" | "why" | "runId" | "jobId" | "count">,
  decision?: { decision: string; by: string; reason?: string | null },
): Promise<void> {
  const env = getEnv();
  if (!env.FLIGHTDECK_WEBHOOK_URL) return;
  const base = env.FLIGHTDECK_BASE_URL ?? "";
  const link = `${base}/flashcards?card=${encodeURIComponent(card.id)}`;
  const text =
    type === "flashcard.created"
      ? `[${card.severity}] ${card.kind}: ${card.title} — ${card.why} (${link})`
      : `${card.kind} card "${card.title}" ${decision?.decision ?? card.state} by ${decision?.by ?? "the runtime"}${decision?.reason ? `: ${decision.reason}` : ""} (${link})`;
  await tx.insert(webhookOutbox).values({
    id: `msg_${randomUUID()}`,
    eventType: type,
    payload: {
      type,
      timestamp: new Date().toISOString(),
      text,
      data: {
        card: {
          id: card.id,
          kind: card.kind,
          severity: card.severity,
          state: card.state,
          title: card.title,
          why: card.why,
          runId: card.runId,
          jobId: card.jobId,
          count: card.count,
          url: link,
        },
        ...(decision ? { decision } : {}),
      },
    },
  });
}
