import "server-only";
import type { Tx } from "@/db/client";
import { cockpitLink, enqueueWebhook } from "@/lib/webhooks";
import type { FlashcardRow } from "./types";

/** The card's message (flashcard.created or flashcard.decided), queued in the caller's transaction. */
export async function enqueueCardWebhook(
  tx: Tx,
  type: "flashcard.created" | "flashcard.decided",
  card: Pick<FlashcardRow, "id" | "kind" | "severity" | "state" | "title" | "why" | "runId" | "jobId" | "count">,
  decision?: { decision: string; by: string; reason?: string | null },
): Promise<void> {
  const link = cockpitLink(`/flashcards?card=${encodeURIComponent(card.id)}`);
  const text =
    type === "flashcard.created"
      ? `[${card.severity}] ${card.kind}: ${card.title} — ${card.why} (${link})`
      : `${card.kind} card "${card.title}" ${decision?.decision ?? card.state} by ${decision?.by ?? "the runtime"}${decision?.reason ? `: ${decision.reason}` : ""} (${link})`;
  await enqueueWebhook(tx, type, {
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
  });
}
