"use client";

import { Ban } from "lucide-react";
import type { DragEvent } from "react";
import { cn } from "@/lib/utils";
import type { DropTarget } from "./run-controls";

type CancelDropZoneProps = {
  /** Shown only while a card is being dragged; it floats, so nothing under it moves. */
  visible: boolean;
  allowed: boolean;
  over: boolean;
  onDragOver: (event: DragEvent<HTMLElement>, target: DropTarget) => void;
  onDragLeave: (event: DragEvent<HTMLElement>, target: DropTarget) => void;
  onDrop: (event: DragEvent<HTMLElement>, target: DropTarget) => void;
};

export function CancelDropZone({ visible, allowed, over, onDragOver, onDragLeave, onDrop }: CancelDropZoneProps) {
  if (!visible) return null;
  return (
    <div
      data-drop-target="cancel"
      data-drop={allowed ? (over ? "over" : "allowed") : "refused"}
      onDragOver={(event) => onDragOver(event, "cancel")}
      onDragLeave={(event) => onDragLeave(event, "cancel")}
      onDrop={(event) => onDrop(event, "cancel")}
      className={cn(
        "fixed bottom-6 left-1/2 z-40 flex h-14 w-80 -translate-x-1/2 items-center justify-center gap-2 rounded-xl border-2 border-dashed",
        "text-sm font-medium shadow-popover backdrop-blur animate-pop-in transition-colors",
        allowed
          ? over
            ? "border-danger bg-danger text-white"
            : "border-danger/60 bg-danger-soft/95 text-danger-text"
          : "border-border-strong bg-surface/95 text-muted opacity-70",
      )}
    >
      <Ban aria-hidden className="size-4" />
      {allowed ? "Drop here to cancel the run" : "This run can't be cancelled"}
    </div>
  );
}
