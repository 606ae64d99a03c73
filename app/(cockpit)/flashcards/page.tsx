import type { Metadata } from "next";
import { FlashcardQueue } from "@/components/flashcards/flashcard-queue";
import type { DetailView, PageView } from "@/components/flashcards/types";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { principalRole, roleAllows } from "@/lib/auth";
import { cardIdForApproval, getFlashcard, listFlashcards } from "@/lib/flashcards";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Flashcards" };

/** Dates become ISO strings, as the API answers them, so the first render and the polled data agree. */
function asJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** ?card=<id> (or ?approval=<id>, from a run waiting on an approval) opens that card first. */
export default async function FlashcardsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await authorizePage("flashcards.read");
  const canDecide = roleAllows(principalRole(principal), "flashcards.decide");
  const params = await searchParams;
  const db = await getDb();
  const page = await listFlashcards(db, { state: "open", limit: 200 });
  const approval = typeof params.approval === "string" ? params.approval : null;
  const focusId =
    typeof params.card === "string" ? params.card : approval ? await cardIdForApproval(db, approval) : null;
  const firstId = focusId ?? page.cards[0]?.id ?? null;
  let detail: DetailView | null = null;
  if (firstId) {
    try {
      detail = asJson<DetailView>(await getFlashcard(db, firstId));
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
  }

  return (
    <>
      <PageHeader
        title="Flashcards"
        className="mb-4"
        description={
          canDecide
            ? "What the runtime noticed that needs a person, one card at a time. A approve · R reject · S snooze · E edit arguments · D dismiss · J/K next/previous."
            : "What the runtime noticed that needs a person. Your role can read the cards; leads and admins decide them."
        }
      />
      <FlashcardQueue
        initial={asJson<PageView>(page)}
        initialDetail={detail}
        focusId={detail ? detail.card.id : null}
        canDecide={canDecide}
      />
    </>
  );
}
