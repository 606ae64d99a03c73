"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Check, ChevronLeft, ChevronRight, Clock, LayoutList, Pencil, SquareStack, X, XCircle } from "lucide-react";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Kbd } from "@/components/ui/kbd";
import { fetchCard, fetchCards } from "./api";
import { EditDialog, RejectDialog, SnoozeDialog, type DialogKind } from "./decision-dialogs";
import { FlashcardList } from "./flashcard-list";
import { FlashcardView } from "./flashcard-view";
import { isApproval, type CardView, type DetailView, type PageView } from "./types";
import { useDecide } from "./use-decide";
import { usePollInterval } from "@/components/live/live-events";

const QUEUE_FILTERS = { state: "open" } as const;

const noSubscribe = () => () => {};

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
    target.getAttribute("role") === "combobox"
  );
}

export function FlashcardQueue({
  initial,
  initialDetail,
  focusId,
  canDecide,
}: {
  initial: PageView;
  initialDetail: DetailView | null;
  focusId: string | null;
  canDecide: boolean;
}) {
  const queryClient = useQueryClient();
  // true once hydrated (keys work): benches and tests wait for data-flashcards-ready.
  const hydrated = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const [mode, setMode] = useState<"queue" | "list">("queue");
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(focusId ?? initial.cards[0]?.id ?? null);

  // Live events refetch the cards at once (LiveEventsProvider); these polls are the fallback.
  const listInterval = usePollInterval(3_000, 30_000);
  const detailInterval = usePollInterval(5_000, 30_000);
  const list = useQuery({
    queryKey: ["flashcards", "list", QUEUE_FILTERS],
    queryFn: () => fetchCards(QUEUE_FILTERS),
    initialData: initial,
    refetchInterval: listInterval,
  });
  const onEditRefused = useCallback((refused: CardView, message: string) => {
    setCurrentId(refused.id);
    setEditError(message);
    setDialog("edit");
  }, []);
  const { hidden, decide } = useDecide(onEditRefused);

  const cards = useMemo(() => list.data.cards.filter((c) => !hidden.has(c.id)), [list.data.cards, hidden]);
  // The focused card; a card opened by link stays shown even when it is no longer open.
  const index = Math.max(
    0,
    cards.findIndex((c) => c.id === currentId),
  );
  const linked =
    initialDetail &&
    initialDetail.card.id === currentId &&
    !cards.some((c) => c.id === currentId) &&
    !hidden.has(currentId)
      ? initialDetail.card
      : null;
  const card: CardView | undefined = linked ?? cards[index];

  const detail = useQuery({
    queryKey: ["flashcards", "card", card?.id ?? ""],
    queryFn: () => fetchCard(card?.id ?? ""),
    enabled: Boolean(card),
    initialData: initialDetail && card?.id === initialDetail.card.id ? initialDetail : undefined,
    refetchInterval: detailInterval,
  });

  // The next card's detail is fetched ahead, so moving on shows it complete at once.
  const next = cards[index + 1];
  useEffect(() => {
    if (next)
      void queryClient.prefetchQuery({
        queryKey: ["flashcards", "card", next.id],
        queryFn: () => fetchCard(next.id),
        staleTime: 10_000,
      });
  }, [next, queryClient]);

  const move = useCallback(
    (delta: number) => {
      const target = cards[Math.min(cards.length - 1, Math.max(0, (linked ? -1 : index) + delta))];
      if (target) setCurrentId(target.id);
    },
    [cards, index, linked],
  );

  const act = useCallback(
    (body: Parameters<typeof decide>[1]) => {
      if (!card) return;
      const following = cards[index + 1] ?? cards[index - 1];
      setDialog(null);
      setEditError(null);
      if (following) setCurrentId(following.id);
      void decide(card, body).then((ok) => {
        if (!ok) setCurrentId(card.id);
      });
    },
    [card, cards, index, decide],
  );

  const open = card?.state === "open" || card?.state === "snoozed";
  const approval = card ? isApproval(card) : false;
  const editable = approval && typeof card?.details.tool === "string";

  useEffect(() => {
    if (mode !== "queue") return;
    const onKey = (e: KeyboardEvent) => {
      if (dialog || e.metaKey || e.ctrlKey || e.altKey || typingIn(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "j") return void (e.preventDefault(), move(1));
      if (key === "k") return void (e.preventDefault(), move(-1));
      if (!canDecide || !card || !open) return;
      if (key === "a" && approval) return void (e.preventDefault(), act({ decision: "approve" }));
      if (key === "r") return void (e.preventDefault(), setDialog("reject"));
      if (key === "s") return void (e.preventDefault(), setDialog("snooze"));
      if (key === "e" && editable) return void (e.preventDefault(), setDialog("edit"));
      if (key === "d" && !approval) return void (e.preventDefault(), act({ decision: "dismiss" }));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [mode, dialog, move, canDecide, card, open, approval, editable, act]);

  const header = (
    <div className="mb-4 flex flex-wrap items-center gap-2" data-flashcards-ready={hydrated ? "true" : "false"}>
      <div role="tablist" aria-label="View" className="flex gap-1 rounded-lg border border-border bg-surface p-0.5">
        <Button
          role="tab"
          aria-selected={mode === "queue"}
          size="sm"
          variant={mode === "queue" ? "primary" : "ghost"}
          onClick={() => setMode("queue")}
        >
          <SquareStack aria-hidden /> One at a time
        </Button>
        <Button
          role="tab"
          aria-selected={mode === "list"}
          size="sm"
          variant={mode === "list" ? "primary" : "ghost"}
          onClick={() => setMode("list")}
        >
          <LayoutList aria-hidden /> List
        </Button>
      </div>
      <p className="text-sm text-muted" aria-live="polite" data-testid="queue-position">
        {cards.length === 0 ? "Queue clear" : `${Math.min(index + 1, cards.length)} of ${cards.length} open`}
        {list.data.openCount > cards.length + hidden.size
          ? ` (${list.data.openCount} in all; the first ${list.data.cards.length} are loaded)`
          : ""}
      </p>
    </div>
  );

  if (mode === "list") {
    return (
      <>
        {header}
        <FlashcardList canDecide={canDecide} onOpen={(id) => (setCurrentId(id), setMode("queue"))} />
      </>
    );
  }

  if (!card) {
    return (
      <>
        {header}
        <EmptyState
          icon={Check}
          title="Nothing needs you right now"
          description="New approvals, budget warnings, failure streaks, policy violations and stuck runs appear here as the runtime notices them."
        />
      </>
    );
  }

  return (
    <>
      {header}
      <div className="flex flex-col gap-4">
        <FlashcardView detail={detail.data?.card.id === card.id ? detail.data : undefined} fallback={card} />
        <div className="sticky bottom-0 flex flex-wrap items-center gap-2 rounded-xl border border-border bg-surface/95 p-3 backdrop-blur">
          <Button size="sm" variant="ghost" onClick={() => move(-1)} aria-label="Previous card (K)">
            <ChevronLeft aria-hidden /> <Kbd>K</Kbd>
          </Button>
          <Button size="sm" variant="ghost" onClick={() => move(1)} aria-label="Next card (J)">
            <Kbd>J</Kbd> <ChevronRight aria-hidden />
          </Button>
          {canDecide && open ? (
            <div className="ml-auto flex flex-wrap gap-2">
              {approval ? (
                <Button variant="primary" onClick={() => act({ decision: "approve" })}>
                  <Check aria-hidden /> Approve <Kbd className="ml-1">A</Kbd>
                </Button>
              ) : null}
              {editable ? (
                <Button onClick={() => setDialog("edit")}>
                  <Pencil aria-hidden /> Edit &amp; approve <Kbd className="ml-1">E</Kbd>
                </Button>
              ) : null}
              <Button variant="danger" onClick={() => setDialog("reject")}>
                <X aria-hidden /> Reject <Kbd className="ml-1">R</Kbd>
              </Button>
              <Button onClick={() => setDialog("snooze")}>
                <Clock aria-hidden /> Snooze <Kbd className="ml-1">S</Kbd>
              </Button>
              {!approval ? (
                <Button onClick={() => act({ decision: "dismiss" })}>
                  <XCircle aria-hidden /> Dismiss <Kbd className="ml-1">D</Kbd>
                </Button>
              ) : null}
            </div>
          ) : (
            <p className="ml-auto text-sm text-muted">
              {canDecide ? `This card is ${card.state}.` : "Your role can read cards; leads and admins decide them."}
            </p>
          )}
        </div>
      </div>
      <RejectDialog
        open={dialog === "reject"}
        onClose={() => setDialog(null)}
        onReject={(reason) => act({ decision: "reject", reason })}
      />
      <SnoozeDialog
        open={dialog === "snooze"}
        onClose={() => setDialog(null)}
        onSnooze={(until) => act({ decision: "snooze", until })}
      />
      {editable ? (
        <EditDialog
          key={card.id}
          open={dialog === "edit"}
          card={card}
          error={editError}
          onClose={() => (setDialog(null), setEditError(null))}
          onApprove={(editedInput) => act({ decision: "approve", editedInput })}
        />
      ) : null}
    </>
  );
}
