"use client";

import Link from "next/link";
import { memo, useLayoutEffect, useRef, type DragEvent, type KeyboardEvent } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Spinner } from "@/components/ui/spinner";
import type { BoardRun } from "@/lib/board";
import { cn } from "@/lib/utils";
import { CARD_HEIGHT } from "./board-columns";
import { BudgetBar, budgetDescription } from "./budget-bar";
import { RunCardMenu } from "./run-card-menu";
import { StateAge } from "./state-age";
import { controlLabels, type RunControl } from "./run-controls";
import { compactNumber, runStatusLine, shortId, type StatusTone } from "./run-status-line";

const riskTone: Record<NonNullable<BoardRun["risk"]>, BadgeTone> = {
  minimal: "neutral",
  limited: "warning",
  high: "danger",
};

const toneClass: Record<StatusTone, string> = {
  muted: "text-muted",
  info: "text-info-text",
  warning: "text-warning-text",
  danger: "text-danger-text",
  violet: "text-violet-text",
  success: "text-success-text",
};

export type RunCardProps = {
  run: BoardRun;
  jobTitle: string;
  /** The one card in the board's tab order (roving tabindex). */
  tabbable: boolean;
  menuOpen: boolean;
  /** Controls the viewer may use on this run now; empty for read-only roles. */
  controls: readonly RunControl[];
  draggable: boolean;
  /** A control in flight for this card (optimistic move). */
  pending: RunControl | null;
  /** Where the run stands in its model endpoint's queue ("3rd for default"), while it waits for a slot. */
  waitPosition: string | null;
  dragging: boolean;
  /** The board is in selection mode: the card shows its checkbox. */
  selecting: boolean;
  selected: boolean;
  /** The viewer may act on runs, so may select them. */
  canSelect: boolean;
  onToggleSelect: (runId: string) => void;
  onFocusCard: (runId: string) => void;
  onMenuOpenChange: (runId: string, open: boolean) => void;
  onControl: (runId: string, control: RunControl) => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>, runId: string) => void;
  onDragStart: (event: DragEvent<HTMLElement>, runId: string) => void;
  onDragEnd: () => void;
  /** The card is removed (it moved to another column) while it had keyboard focus. */
  onFocusedUnmount: (runId: string) => void;
};

export const RunCard = memo(function RunCard(props: RunCardProps) {
  const { run, jobTitle, tabbable, menuOpen, controls, draggable, pending, dragging, selecting, selected } = props;
  const cardRef = useRef<HTMLElement>(null);
  const { onFocusedUnmount } = props;
  const runId = run.id;
  useLayoutEffect(() => {
    const node = cardRef.current;
    // Layout cleanups run while the node is still attached, so focus can be handed on.
    return () => {
      if (node && document.activeElement === node) onFocusedUnmount(runId);
    };
  }, [onFocusedUnmount, runId]);
  const status = pending
    ? { text: `${controlLabels[pending].progressive}…`, tone: "muted" as StatusTone }
    : props.waitPosition
      ? { text: `Waiting: ${props.waitPosition}`, tone: "warning" as StatusTone }
      : runStatusLine(run);
  const id = shortId(run.id);
  // The run's own title (the ticket subject) when its job derives one; the job names it otherwise.
  const name = run.title ?? jobTitle;
  const label = run.title ? `${run.title} (${jobTitle} ${id})` : `${jobTitle} ${id}`;

  return (
    <article
      ref={cardRef}
      data-run-card={run.id}
      data-state={run.state}
      tabIndex={tabbable ? 0 : -1}
      draggable={draggable}
      aria-label={`${run.title ? `${run.title}, ${jobTitle}` : jobTitle}, run ${id}: ${status.text}`}
      aria-describedby={`budget-${run.id}`}
      aria-busy={pending ? true : undefined}
      data-selected={selected ? "true" : undefined}
      // Shift-click selects, in selection mode or not (the title link included).
      onClickCapture={(event) => {
        if (!event.shiftKey || !props.canSelect) return;
        event.preventDefault();
        event.stopPropagation();
        props.onToggleSelect(run.id);
      }}
      onFocus={(event) => {
        if (event.target === event.currentTarget) props.onFocusCard(run.id);
      }}
      onKeyDown={(event) => props.onKeyDown(event, run.id)}
      onDragStart={(event) => props.onDragStart(event, run.id)}
      onDragEnd={props.onDragEnd}
      style={{ height: CARD_HEIGHT }}
      className={cn(
        "group relative flex flex-col justify-between overflow-hidden rounded-lg border border-border bg-surface px-2.5 pt-2 pb-2.5 shadow-xs",
        "transition-[border-color,box-shadow,opacity] outline-none hover:border-border-strong",
        "focus-visible:border-accent focus-visible:ring-2 focus-visible:ring-accent/40",
        draggable && "cursor-grab active:cursor-grabbing",
        dragging && "opacity-40",
        pending && "border-dashed",
        selected && "border-accent bg-accent-soft/40 ring-1 ring-accent/60",
      )}
    >
      <div className="flex h-5 min-w-0 shrink-0 items-center gap-1">
        {selecting ? (
          <Checkbox
            tabIndex={-1}
            aria-label={`Select ${label}`}
            checked={selected}
            onCheckedChange={() => props.onToggleSelect(run.id)}
            className="mr-0.5 size-3.5"
          />
        ) : null}
        <Link
          href={`/runs/${run.id}`}
          tabIndex={-1}
          draggable={false}
          // Thousands of cards scroll by: prefetching each one's page would flood the server.
          prefetch={false}
          title={name}
          className="min-w-0 flex-1 truncate text-[13px] leading-5 font-medium text-foreground hover:underline"
        >
          {name}
        </Link>
        {pending ? <Spinner className="size-3.5" label={null} /> : null}
        <RunCardMenu
          runId={run.id}
          label={label}
          open={menuOpen}
          onOpenChange={(open) => props.onMenuOpenChange(run.id, open)}
          controls={controls}
          onControl={(control) => props.onControl(run.id, control)}
          returnFocusTo={cardRef}
          priority={run.priority}
          // Whoever may control a run may re-prioritise it while it is not finished.
          canReprioritise={controls.length > 0 && ["queued", "running", "waiting", "paused"].includes(run.state)}
        />
      </div>
      <div className="flex h-4 min-w-0 shrink-0 items-center gap-1.5 overflow-hidden text-xs whitespace-nowrap text-muted">
        <span className="font-mono text-[11px]">{id}</span>
        <span aria-hidden>·</span>
        {run.title ? (
          <span
            className="min-w-0 truncate"
            title={`${jobTitle} · fair-share key ${run.fairKey}, priority class ${run.priority}`}
          >
            {jobTitle} · {run.fairKey}
          </span>
        ) : (
          <span className="min-w-0 truncate" title={`Fair-share key ${run.fairKey}, priority class ${run.priority}`}>
            {run.fairKey} · P{run.priority}
          </span>
        )}
      </div>
      <div className="flex h-4 min-w-0 shrink-0 items-center gap-2 text-xs leading-4">
        {run.state === "waiting" && run.reason === "approval" && run.waitingFor && !pending ? (
          <Link
            href={`/flashcards?approval=${encodeURIComponent(run.waitingFor)}`}
            tabIndex={-1}
            draggable={false}
            prefetch={false}
            className={cn("min-w-0 flex-1 truncate underline-offset-2 hover:underline", toneClass[status.tone])}
            title="Open the flashcard this run waits on"
          >
            {status.text} · open card
          </Link>
        ) : (
          <p className={cn("min-w-0 flex-1 truncate", toneClass[status.tone])} title={status.text}>
            {status.text}
          </p>
        )}
        <StateAge since={run.stateSince} className="text-[11px] text-muted" />
      </div>
      <div className="flex h-4 shrink-0 items-center justify-between gap-2 text-[11px] whitespace-nowrap text-muted tabular-nums">
        <span id={`budget-${run.id}`} title={budgetDescription(run)} className="min-w-0 truncate">
          {run.turnsUsed}/{run.budgetTurns} · {compactNumber(run.tokensUsed)} tok
          <span className="sr-only"> ({budgetDescription(run)})</span>
        </span>
        {run.risk ? (
          <Badge tone={riskTone[run.risk]} className="h-4 px-1 text-[10px] capitalize" title={`${run.risk} risk`}>
            {run.risk}
            <span className="sr-only"> risk</span>
          </Badge>
        ) : null}
      </div>
      <BudgetBar run={run} className="absolute inset-x-0 bottom-0 rounded-none" />
    </article>
  );
});
