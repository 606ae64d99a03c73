"use client";

import { useCallback, useRef, useState, type DragEvent } from "react";
import type { BoardRun } from "@/lib/board";
import type { ColumnId } from "./board-columns";
import { controlForDrop, type DropTarget, type RunControl } from "./run-controls";

const MIME = "application/x-flightdeck-run";

/**
 * Native HTML5 drag and drop: a card drags, each column (and the cancel zone) says
 * whether this run may land there — dropEffect "none" and a dimmed column when not.
 */
export function useBoardDrag(
  getRun: (id: string) => BoardRun | undefined,
  act: (run: BoardRun, control: RunControl) => void,
) {
  const [draggingId, setDraggingId] = useState<string | null>(null);
  const [over, setOver] = useState<DropTarget | null>(null);
  // Read by dragover synchronously: the state above only drives the visuals.
  const draggingRef = useRef<string | null>(null);

  const onDragStart = useCallback((event: DragEvent<HTMLElement>, runId: string) => {
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData(MIME, runId);
    event.dataTransfer.setData("text/plain", runId);
    draggingRef.current = runId;
    // Re-rendering the source in the same tick can abort the drag in Chromium.
    setTimeout(() => setDraggingId(runId), 0);
  }, []);

  const onDragEnd = useCallback(() => {
    draggingRef.current = null;
    setDraggingId(null);
    setOver(null);
  }, []);

  const dragged = draggingId ? getRun(draggingId) : undefined;

  const controlFor = useCallback(
    (target: DropTarget): RunControl | null => (dragged ? controlForDrop(dragged, target) : null),
    [dragged],
  );

  const onTargetDragOver = useCallback(
    (event: DragEvent<HTMLElement>, target: DropTarget) => {
      const run = draggingRef.current ? getRun(draggingRef.current) : undefined;
      if (!run) return;
      if (controlForDrop(run, target)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        setOver(target);
      } else {
        event.dataTransfer.dropEffect = "none";
      }
    },
    [getRun],
  );

  const onTargetDragLeave = useCallback((event: DragEvent<HTMLElement>, target: DropTarget) => {
    // Leaving for a child of the same target is not leaving.
    if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return;
    setOver((current) => (current === target ? null : current));
  }, []);

  const onTargetDrop = useCallback(
    (event: DragEvent<HTMLElement>, target: DropTarget) => {
      event.preventDefault();
      const id = event.dataTransfer.getData(MIME) || draggingRef.current;
      const run = id ? getRun(id) : undefined;
      const control = run ? controlForDrop(run, target) : null;
      draggingRef.current = null;
      setDraggingId(null);
      setOver(null);
      if (run && control) act(run, control);
    },
    [act, getRun],
  );

  return {
    draggingId,
    dragged,
    over,
    controlFor,
    onDragStart,
    onDragEnd,
    onTargetDragOver,
    onTargetDragLeave,
    onTargetDrop,
    onColumnDragOver: onTargetDragOver as (event: DragEvent<HTMLElement>, column: ColumnId) => void,
  };
}
