"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Keyboard, ListChecks, SquareKanban } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { buttonClassName } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";
import { useLiveHealthy } from "@/components/live/live-events";
import type { BoardRun, BoardSnapshot } from "@/lib/board";
import { TIME_RANGE_PARAM, type TimeRange } from "@/lib/time-range";
import { fromResponse } from "./board-data";
import { BoardColumn, type DropState } from "./board-column";
import { boardColumns, columnOf, type ColumnId } from "./board-columns";
import { bucketRuns, withPendingMoves } from "./board-buckets";
import { BoardFilterBar } from "./board-filter-bar";
import { BulkControls } from "./bulk-controls";
import { filtersToSearch, hasFilters, parseFilters, type BoardFilters, type FilterKey } from "./board-filters";
import { CancelDropZone } from "./cancel-drop-zone";
import { LiveIndicator } from "./live-indicator";
import { allowedControls, controlLabels, type RunControl } from "./run-controls";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { boardQueryKey, useBoard } from "./use-board";
import { useWaitPositions } from "./use-wait-positions";
import { useBoardDrag } from "./use-board-drag";
import { useBoardKeyboard } from "./use-board-keyboard";
import { useRunControls } from "./use-run-controls";

const noControls: readonly RunControl[] = [];
const idle: DropState = { kind: "idle" };
const refused: DropState = { kind: "refused" };
// One array per distinct set, so memoised cards see the same reference across renders.
const controlSets = new Map<string, readonly RunControl[]>();
function stableControls(list: RunControl[]): readonly RunControl[] {
  const key = list.join(",");
  let found = controlSets.get(key);
  if (!found) {
    found = list;
    controlSets.set(key, found);
  }
  return found;
}

const noopSubscribe = () => () => {};
/** Columns up to this many runs are loaded whole (five pages); longer ones page as they are scrolled. */
const AUTOLOAD_MAX = 200;

/** Filters change without the time range: `?range=` stays in the URL when it is there. */
function withRange(search: string): string {
  const range = new URLSearchParams(window.location.search).get(TIME_RANGE_PARAM);
  if (!range) return search;
  const params = new URLSearchParams(search);
  params.set(TIME_RANGE_PARAM, range);
  return `?${params.toString()}`;
}

type RunsBoardProps = {
  initial: BoardSnapshot;
  /** The filters the server rendered `initial` under. */
  initialFilters: BoardFilters;
  /** How far back Done reaches (the page's shared time range). */
  range: TimeRange;
  canControl: boolean;
};

export function RunsBoard({ initial, initialFilters, range, canControl }: RunsBoardProps) {
  // True once hydrated: drag, keys and menus work from then on (tests and the bench wait for it).
  const ready = useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
  const live = useLiveHealthy();
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseFilters(new URLSearchParams(searchParams.toString())), [searchParams]);
  const board = useBoard(initial, initialFilters, filters, range);
  const { isError, dataUpdatedAt, loadMore, loadFailed } = board;
  const [fallback] = useState(() => fromResponse(undefined, initial));
  const data = board.data ?? fallback;
  const [menuId, setMenuId] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const queryClient = useQueryClient();
  const [selecting, setSelecting] = useState(false);
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const toggleSelect = useCallback(
    (runId: string) => {
      if (!canControl) return;
      setSelecting(true);
      setSelection((set) => {
        const next = new Set(set);
        if (!next.delete(runId)) next.add(runId);
        return next;
      });
    },
    [canControl],
  );
  const endSelection = useCallback(() => {
    setSelecting(false);
    setSelection(new Set());
  }, []);
  const { pending, run: runControl } = useRunControls(setAnnouncement);
  // Callbacks read the latest data through a ref, so memoised cards keep the same props.
  const dataRef = useRef(data);
  useEffect(() => {
    dataRef.current = data;
  }, [data]);

  const getRun = useCallback((id: string) => dataRef.current.runs.get(id), []);
  const act = useCallback(
    (run: BoardRun, control: RunControl) => {
      if (canControl) void runControl(run, control);
    },
    [canControl, runControl],
  );

  // A column of a few pages loads whole at once, so a run arriving at its end is on screen without
  // scrolling; only long columns (a busy queue) wait for the scroll to ask for more.
  useEffect(() => {
    for (const { id } of boardColumns) {
      const column = data.columns[id];
      // A failure is kept in loadFailed and shown in the column, which offers the retry.
      if (column.next && column.total <= AUTOLOAD_MAX && !loadFailed.has(id)) loadMore(id).catch(() => undefined);
    }
  }, [data.columns, loadMore, loadFailed]);

  // Where the cards that wait for a model slot stand in its queue.
  const waitPositions = useWaitPositions(data.runs.values());

  // data.runs, not data: a poll that changed nothing only moves the cursor and must not re-sort the board.
  const sorted = useMemo(
    () => bucketRuns(data.runs.values(), filters, data.columns),
    [data.runs, data.columns, filters],
  );
  // Moves in flight are applied on top, one card each, so a drop never re-sorts the board.
  const columns = useMemo(
    () => withPendingMoves(sorted, pending, data.runs, filters),
    [sorted, pending, data.runs, filters],
  );

  // A column that goes on past what is loaded counts what the server counted; a whole one counts its cards.
  const counts = useMemo(() => {
    const out = {} as Record<ColumnId, number>;
    for (const { id } of boardColumns) out[id] = data.columns[id].next ? data.columns[id].total : columns[id].length;
    return out;
  }, [columns, data.columns]);
  const shown = boardColumns.reduce((n, c) => n + counts[c.id], 0);
  const jobOptions = useMemo(() => [...data.jobs.values()].map((j) => ({ value: j.id, label: j.title })), [data.jobs]);
  const owners = useMemo(() => {
    const set = new Set<string>();
    for (const job of data.jobs.values()) if (job.owner) set.add(job.owner);
    for (const run of data.runs.values()) if (run.owner) set.add(run.owner);
    return [...set].sort();
  }, [data.jobs, data.runs]);

  const setFilter = useCallback(
    (key: FilterKey, value: string | undefined) => {
      const next = parseFilters({ ...Object.fromEntries(searchParams.entries()), [key]: value });
      // Native history keeps the filters in the URL without a server round trip.
      window.history.replaceState(null, "", `${window.location.pathname}${withRange(filtersToSearch(next))}`);
    },
    [searchParams],
  );

  const jobTitle = useCallback((jobId: string) => data.jobs.get(jobId)?.title ?? jobId, [data.jobs]);
  const controlsFor = useCallback(
    (run: BoardRun) => (canControl && !pending.has(run.id) ? stableControls(allowedControls(run)) : noControls),
    [canControl, pending],
  );
  const drag = useBoardDrag(getRun, act);
  const keyboard = useBoardKeyboard({
    columns,
    onControl: act,
    openMenu: setMenuId,
    openHelp: useCallback(() => setHelpOpen(true), []),
    onToggleSelect: toggleSelect,
  });
  const onMenuOpenChange = useCallback((runId: string, open: boolean) => setMenuId(open ? runId : null), []);
  const { follow } = keyboard;
  const onCardControl = useCallback(
    (runId: string, control: RunControl) => {
      const run = getRun(runId);
      if (!run) return;
      act(run, control);
      // Keep focus on the card as it moves, as the keyboard shortcuts do.
      follow(runId);
    },
    [act, follow, getRun],
  );
  // What is selected, as the board knows it now (a run paged out of memory drops out).
  const chosen = useMemo(() => [...selection].flatMap((id) => data.runs.get(id) ?? []), [selection, data.runs]);
  // Refusals are listed in the bar: it stays open (empty) until they are read.
  const bulkDone = useCallback(
    ({ refused }: { refused: number }) => {
      if (refused > 0) setSelection(new Set());
      else endSelection();
      void queryClient.invalidateQueries({ queryKey: boardQueryKey });
    },
    [endSelection, queryClient],
  );
  const pendingControls = useMemo(() => new Map([...pending].map(([id, move]) => [id, move.control])), [pending]);

  const { dragged, controlFor: dropControlFor, over } = drag;
  const drops = useMemo(() => {
    const out = {} as Record<ColumnId, DropState>;
    for (const { id } of boardColumns) {
      const control = dragged ? dropControlFor(id) : null;
      out[id] = !dragged
        ? idle
        : control
          ? { kind: "allowed", label: `Drop to ${controlLabels[control].label.toLowerCase()}`, over: over === id }
          : columnOf(dragged) === id
            ? idle
            : refused;
    }
    return out;
  }, [dragged, dropControlFor, over]);
  const filtered = hasFilters(filters);
  const collapse = (id: ColumnId) => filtered && columns[id].length === 0 && dragged === undefined;

  if (data.runs.size === 0 && data.onBoard === 0) {
    // Still polling underneath: the board replaces this as soon as a run exists.
    return (
      <EmptyState
        icon={SquareKanban}
        title="No runs yet"
        description="Runs appear here when a job is triggered by its schedule, by a signal sent to the API, or by “Run now” on a job's page. This page updates by itself."
        action={
          <Link href="/jobs" className={buttonClassName("secondary", "md")}>
            Browse jobs
          </Link>
        }
      />
    );
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <BoardFilterBar
          filters={filters}
          jobs={jobOptions}
          owners={owners}
          onChange={setFilter}
          onClear={() => window.history.replaceState(null, "", `${window.location.pathname}${withRange("")}`)}
          shown={shown}
          total={Math.max(data.onBoard, shown)}
        />
        <div className="flex items-center gap-2">
          <LiveIndicator error={isError} updatedAt={dataUpdatedAt} />
          {canControl ? (
            <Button
              variant="ghost"
              size="sm"
              aria-pressed={selecting}
              onClick={() => (selecting ? endSelection() : setSelecting(true))}
            >
              <ListChecks aria-hidden />
              {selecting ? "Done selecting" : "Select"}
            </Button>
          ) : null}
          <Button variant="ghost" size="sm" onClick={() => setHelpOpen(true)} aria-keyshortcuts="Shift+?">
            <Keyboard aria-hidden />
            Shortcuts
          </Button>
        </div>
      </div>
      {selecting ? (
        <BulkControls
          chosen={chosen}
          hint="Tick cards (or Shift-click them, or press x on a focused card) to pause, resume, retry or cancel them together."
          onDone={bulkDone}
        >
          {chosen.length > 0 ? (
            <Button size="sm" variant="ghost" onClick={() => setSelection(new Set())}>
              Clear selection
            </Button>
          ) : null}
        </BulkControls>
      ) : null}
      <div
        aria-label="Runs board"
        role="region"
        data-ready={ready ? "true" : "false"}
        // Tests and benches tell a board fed by the live stream from one that polls.
        data-live={live ? "true" : "false"}
        className="grid h-[calc(100dvh-12.5rem)] min-h-[28rem] gap-2 overflow-x-auto pb-1"
        // Six columns fit from 1280 px up; under a filter an empty column shrinks to a strip
        // (not while dragging: every column is a drop target then).
        style={{
          gridTemplateColumns: boardColumns.map((c) => (collapse(c.id) ? "2.25rem" : "minmax(9.5rem,1fr)")).join(" "),
        }}
      >
        {boardColumns.map((column) => (
          <BoardColumn
            key={column.id}
            collapsed={collapse(column.id)}
            id={column.id}
            title={column.title}
            runs={columns[column.id]}
            count={counts[column.id]}
            hasMore={data.columns[column.id].next !== null}
            onLoadMore={loadMore}
            loadFailed={loadFailed.has(column.id)}
            waitPositions={waitPositions}
            jobTitle={jobTitle}
            controlsFor={controlsFor}
            canDrag={canControl}
            tabbableId={keyboard.tabbableId}
            menuId={menuId}
            draggingId={drag.draggingId}
            pending={pendingControls}
            selecting={selecting}
            selection={selection}
            onToggleSelect={toggleSelect}
            focusRequest={keyboard.focusRequest}
            drop={drops[column.id]}
            onColumnDragOver={drag.onColumnDragOver}
            onColumnDragLeave={drag.onTargetDragLeave}
            onColumnDrop={drag.onTargetDrop}
            onFocusCard={keyboard.onFocusCard}
            onMenuOpenChange={onMenuOpenChange}
            onControl={onCardControl}
            onKeyDown={keyboard.onKeyDown}
            onDragStart={drag.onDragStart}
            onDragEnd={drag.onDragEnd}
            onFocusedUnmount={follow}
          />
        ))}
      </div>
      <CancelDropZone
        visible={drag.dragged !== undefined}
        allowed={drag.controlFor("cancel") !== null}
        over={drag.over === "cancel"}
        onDragOver={drag.onTargetDragOver}
        onDragLeave={drag.onTargetDragLeave}
        onDrop={drag.onTargetDrop}
      />
      <ShortcutsDialog open={helpOpen} onOpenChange={setHelpOpen} canControl={canControl} />
      <p role="status" className="sr-only">
        {announcement}
      </p>
    </div>
  );
}
