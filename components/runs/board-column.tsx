"use client";

import Link from "next/link";
import { defaultRangeExtractor, useVirtualizer, type Range } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useRef, useSyncExternalStore, type DragEvent } from "react";
import type { BoardRun } from "@/lib/board";
import { cn } from "@/lib/utils";
import { CARD_GAP, CARD_HEIGHT, type ColumnId } from "./board-columns";
import { waitsForSlot } from "./use-wait-positions";
import { RunCard, type RunCardProps } from "./run-card";
import type { RunControl } from "./run-controls";

export type DropState = { kind: "idle" } | { kind: "allowed"; label: string; over: boolean } | { kind: "refused" };

type SharedCardProps = Pick<
  RunCardProps,
  "onFocusCard" | "onMenuOpenChange" | "onControl" | "onKeyDown" | "onDragStart" | "onDragEnd" | "onFocusedUnmount"
>;

export type BoardColumnProps = SharedCardProps & {
  id: ColumnId;
  title: string;
  runs: readonly BoardRun[];
  /** What the header counts: every run of the column, loaded or not. */
  count: number;
  /** The column goes on past its loaded runs: scrolling to the end loads the next page. */
  hasMore: boolean;
  onLoadMore: (column: ColumnId) => Promise<void>;
  /** The column's last page request failed (use-board): say so and offer the retry. */
  loadFailed: boolean;
  /** Queue positions of cards waiting for a model slot, by run id (use-wait-positions). */
  waitPositions: ReadonlyMap<string, string>;
  jobTitle: (jobId: string) => string;
  controlsFor: (run: BoardRun) => readonly RunControl[];
  canDrag: boolean;
  tabbableId: string | null;
  menuId: string | null;
  draggingId: string | null;
  pending: ReadonlyMap<string, RunControl>;
  selecting: boolean;
  selection: ReadonlySet<string>;
  onToggleSelect: (runId: string) => void;
  /** Set by keyboard navigation: scroll this run into view and focus it. */
  focusRequest: { id: string; seq: number } | null;
  drop: DropState;
  /** Empty under a filter: a narrow strip, so the columns that have runs get the room. */
  collapsed?: boolean;
  onColumnDragOver: (event: DragEvent<HTMLElement>, column: ColumnId) => void;
  onColumnDragLeave: (event: DragEvent<HTMLElement>, column: ColumnId) => void;
  onColumnDrop: (event: DragEvent<HTMLElement>, column: ColumnId) => void;
};

const ROW = CARD_HEIGHT + CARD_GAP;
const noopSubscribe = () => () => {};
const isClient = () => true;
const isServer = () => false;

export const BoardColumn = memo(function BoardColumn(props: BoardColumnProps) {
  const { id, title, runs, drop, tabbableId, draggingId, focusRequest, hasMore, onLoadMore, loadFailed } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const hydrated = useSyncExternalStore(noopSubscribe, isClient, isServer);
  const headingId = `column-${id}`;

  // Keep the focused and the dragged card mounted even when scrolled out of view: losing
  // the focused node drops keyboard focus, losing the dragged node ends the drag.
  const pinned = useRef<number[]>([]);
  pinned.current = [tabbableId, draggingId]
    .map((runId) => (runId ? runs.findIndex((r) => r.id === runId) : -1))
    .filter((i) => i >= 0);
  const rangeExtractor = useCallback((range: Range) => {
    const indexes = new Set(defaultRangeExtractor(range));
    for (const i of pinned.current) indexes.add(i);
    return [...indexes].sort((a, b) => a - b);
  }, []);

  const virtualizer = useVirtualizer({
    // One more row at the end while the column goes on: the "loading more" row.
    count: runs.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    getItemKey: (index) => runs[index]?.id ?? "more",
    // The server renders one card past the fold (every card is HTML the page carries); once
    // hydrated, six keep a fast scroll from showing blanks.
    overscan: hydrated ? 6 : 1,
    rangeExtractor,
    // Server render and first paint show the top cards before the column is measured.
    initialRect: { width: 200, height: 720 },
    useFlushSync: false,
  });

  useEffect(() => {
    if (!focusRequest) return;
    const index = runs.findIndex((r) => r.id === focusRequest.id);
    if (index < 0) return;
    virtualizer.scrollToIndex(index, { align: "auto" });
    const frame = requestAnimationFrame(() => {
      scrollRef.current
        ?.querySelector<HTMLElement>(`[data-run-card="${CSS.escape(focusRequest.id)}"]`)
        ?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
    // Only a new request moves focus; data updates must not steal it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest]);

  const items = virtualizer.getVirtualItems();
  const atEnd = hasMore && items.some((item) => item.index >= runs.length);
  // Failures are kept by use-board (loadFailed): a failed column is not asked again until clicked.
  const more = useCallback(() => {
    onLoadMore(id).catch(() => undefined);
  }, [id, onLoadMore]);
  useEffect(() => {
    if (atEnd && !loadFailed) more();
  }, [atEnd, more, runs.length, loadFailed]);

  if (props.collapsed) {
    return (
      <section
        aria-labelledby={headingId}
        data-column={id}
        data-collapsed="true"
        className="flex min-h-0 min-w-0 flex-col items-center gap-2 rounded-xl bg-surface-muted/50 py-2.5"
      >
        <h2 id={headingId} className="text-xs font-semibold text-muted [writing-mode:vertical-rl]">
          {title}
          <span className="sr-only">: no run matches the filters</span>
        </h2>
        <span aria-hidden className="text-xs text-muted tabular-nums">
          0
        </span>
      </section>
    );
  }

  return (
    <section
      aria-labelledby={headingId}
      data-column={id}
      data-drop={drop.kind === "allowed" ? (drop.over ? "over" : "allowed") : drop.kind}
      onDragOver={(event) => props.onColumnDragOver(event, id)}
      onDragLeave={(event) => props.onColumnDragLeave(event, id)}
      onDrop={(event) => props.onColumnDrop(event, id)}
      className={cn(
        "flex min-h-0 min-w-0 flex-col rounded-xl border border-transparent bg-surface-muted/50 transition-[background-color,border-color,opacity]",
        drop.kind === "allowed" && "border-dashed border-accent/50 bg-accent-soft/40",
        drop.kind === "allowed" && drop.over && "border-solid border-accent bg-accent-soft",
        drop.kind === "refused" && "opacity-45",
      )}
    >
      <header className="flex h-9 shrink-0 items-center justify-between gap-2 px-2.5">
        <h2
          id={headingId}
          className={cn(
            "truncate text-xs font-semibold",
            id === "attention" && props.count > 0 ? "text-danger-text" : "text-foreground",
          )}
        >
          {title}
        </h2>
        <span className="shrink-0 text-xs text-muted tabular-nums">
          {drop.kind === "allowed" ? (
            <span className="font-medium text-accent-text">{drop.label}</span>
          ) : drop.kind === "refused" ? (
            <span>Not allowed</span>
          ) : (
            <>
              {props.count.toLocaleString("en-US")}
              <span className="sr-only"> runs</span>
            </>
          )}
        </span>
      </header>
      <div ref={scrollRef} className="relative min-h-0 flex-1 overflow-y-auto overscroll-contain px-1.5 pb-1.5">
        {runs.length === 0 && !hasMore ? (
          <p className="flex h-24 items-center justify-center rounded-lg border border-dashed border-border-strong/70 text-xs text-muted">
            No runs
          </p>
        ) : (
          <div
            role="list"
            aria-label={`${title} runs`}
            className="relative w-full"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const run = runs[item.index];
              if (!run)
                return item.index === runs.length ? (
                  <div
                    key={item.key}
                    role="listitem"
                    className="absolute top-0 left-0 flex w-full items-center justify-center"
                    style={{ transform: `translateY(${item.start}px)`, height: CARD_HEIGHT }}
                  >
                    <button
                      type="button"
                      onClick={more}
                      className="rounded-md px-2 py-1 text-xs text-muted hover:text-foreground focus-visible:outline-2 focus-visible:outline-accent"
                    >
                      {loadFailed
                        ? "Could not load more runs — try again"
                        : `Loading more… (${runs.length.toLocaleString("en-US")} of ${props.count.toLocaleString("en-US")})`}
                    </button>
                  </div>
                ) : null;
              return (
                <div
                  key={item.key}
                  role="listitem"
                  className="absolute top-0 left-0 w-full"
                  style={{ transform: `translateY(${item.start}px)`, height: CARD_HEIGHT }}
                >
                  <RunCard
                    run={run}
                    jobTitle={props.jobTitle(run.jobId)}
                    tabbable={run.id === tabbableId}
                    menuOpen={run.id === props.menuId}
                    controls={props.controlsFor(run)}
                    draggable={props.canDrag && props.controlsFor(run).length > 0}
                    pending={props.pending.get(run.id) ?? null}
                    waitPosition={waitsForSlot(run) ? (props.waitPositions.get(run.id) ?? null) : null}
                    dragging={run.id === draggingId}
                    selecting={props.selecting}
                    selected={props.selection.has(run.id)}
                    canSelect={props.canDrag}
                    onToggleSelect={props.onToggleSelect}
                    onFocusCard={props.onFocusCard}
                    onMenuOpenChange={props.onMenuOpenChange}
                    onControl={props.onControl}
                    onKeyDown={props.onKeyDown}
                    onDragStart={props.onDragStart}
                    onDragEnd={props.onDragEnd}
                    onFocusedUnmount={props.onFocusedUnmount}
                  />
                </div>
              );
            })}
          </div>
        )}
      </div>
      {id === "done" ? (
        // Done holds the chosen time range, a page at a time; older runs are a click away.
        <Link
          href="/runs/list?state=succeeded,cancelled&range=30d"
          prefetch={false}
          className="shrink-0 px-2.5 py-1.5 text-center text-xs text-accent-text hover:underline"
        >
          Older finished runs in the list
        </Link>
      ) : null}
    </section>
  );
});
