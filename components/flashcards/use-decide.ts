"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { decideCard } from "@/lib/actions";
import { toast } from "@/components/ui/toaster";
import { OPEN_COUNT_KEY } from "./open-count-badge";
import type { CardView, DecisionBody } from "./types";

const verb: Record<string, string> = {
  approve: "Approved",
  reject: "Rejected",
  snooze: "Snoozed",
  dismiss: "Dismissed",
};

/**
 * Optimistic decisions: the card leaves the queue at once (the next one shows), the server
 * decides; a refusal (409 — someone decided first —, 400, 403, network) puts it back and
 * says why. Returns the ids being hidden.
 */
export function useDecide(onEditRefused?: (card: CardView, message: string) => void) {
  const queryClient = useQueryClient();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());

  const decide = useCallback(
    async (card: CardView, body: DecisionBody) => {
      setHidden((h) => new Set(h).add(card.id));
      const restore = () =>
        setHidden((h) => {
          const next = new Set(h);
          next.delete(card.id);
          return next;
        });
      const result = await decideCard({ cardId: card.id, body }).catch(() => null);
      void queryClient.invalidateQueries({ queryKey: OPEN_COUNT_KEY });
      void queryClient.invalidateQueries({ queryKey: ["flashcards", "card", card.id] });
      if (!result) {
        restore();
        toast.error("The server could not be reached; the card is back in the queue");
        return false;
      }
      if (!result.ok) {
        restore();
        if (body.editedInput !== undefined && result.error.code === "bad_request")
          onEditRefused?.(card, result.error.message);
        toast.error(`Not decided: ${result.error.message}`);
        return false;
      }
      const votes = result.data.approvals;
      if (body.decision === "approve" && votes.given < votes.required) {
        toast.success(`${votes.given} of ${votes.required} approvals — a second, different lead must approve`);
      } else if (body.decision === "reject") {
        toast.warning(`Rejected: ${card.title}`, { duration: 2_000 });
      } else {
        toast.success(`${verb[body.decision] ?? "Decided"}: ${card.title}`, { duration: 2_000 });
      }
      return true;
    },
    [queryClient, onEditRefused],
  );

  return { hidden, decide };
}
