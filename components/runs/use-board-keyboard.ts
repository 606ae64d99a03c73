"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { BoardRun } from "@/lib/board";
import { columnIds, type ColumnId } from "./board-columns";
import type { RunControl } from "./run-controls";

type Columns = Record<ColumnId, BoardRun[]>;

const controlKeys: Record<string, RunControl> = { p: "pause", r: "resume", c: "cancel", t: "retry" };

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
    target.getAttribute("role") === "combobox"
  );
}

/**
 * Roving focus over the board: one card is in the tab order; arrows / hjkl move between
 * cards and columns, Enter or "." opens the card's menu, p r c t act, o opens the run, x selects,
 * "?" (anywhere on the page) opens the shortcut help.
 */
export function useBoardKeyboard(options: {
  columns: Columns;
  onControl: (run: BoardRun, control: RunControl) => void;
  openMenu: (runId: string) => void;
  openHelp: () => void;
  /** x: add the focused run to the selection, or take it out. */
  onToggleSelect: (runId: string) => void;
}) {
  const { columns, onControl, openMenu, openHelp, onToggleSelect } = options;
  const router = useRouter();
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ id: string; seq: number } | null>(null);
  const seq = useRef(0);

  const locate = useCallback(
    (runId: string): { column: ColumnId; index: number } | null => {
      for (const column of columnIds) {
        const index = columns[column].findIndex((r) => r.id === runId);
        if (index >= 0) return { column, index };
      }
      return null;
    },
    [columns],
  );

  // The tab stop: the focused card while it is on the board, else the first card shown.
  const located = focusedId ? locate(focusedId) : null;
  const firstCard = columnIds.map((c) => columns[c][0]).find(Boolean);
  const tabbableId = located && focusedId ? focusedId : (firstCard?.id ?? null);

  /** Focus this run's card wherever it is now (also after it moved to another column). */
  const follow = useCallback((runId: string) => {
    setFocusedId(runId);
    seq.current += 1;
    setFocusRequest({ id: runId, seq: seq.current });
  }, []);
  const moveTo = useCallback(
    (run: BoardRun | undefined) => {
      if (run) follow(run.id);
    },
    [follow],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>, runId: string) => {
      if (event.target !== event.currentTarget || event.metaKey || event.ctrlKey || event.altKey) return;
      const at = locate(runId);
      if (!at) return;
      const list = columns[at.column];
      const run = list[at.index];
      if (!run) return;
      const sideways = (step: 1 | -1) => {
        for (let c = columnIds.indexOf(at.column) + step; c >= 0 && c < columnIds.length; c += step) {
          const id = columnIds[c];
          const target = id ? columns[id] : [];
          if (target.length > 0) return target[Math.min(at.index, target.length - 1)];
        }
        return undefined;
      };
      const key = event.key;
      let handled = true;
      if (key === "ArrowDown" || key === "j") moveTo(list[at.index + 1]);
      else if (key === "ArrowUp" || key === "k") moveTo(list[at.index - 1]);
      else if (key === "ArrowRight" || key === "l") moveTo(sideways(1));
      else if (key === "ArrowLeft" || key === "h") moveTo(sideways(-1));
      else if (key === "Home") moveTo(list[0]);
      else if (key === "End") moveTo(list[list.length - 1]);
      else if (key === "Enter" || key === ".") openMenu(run.id);
      else if (key === "o") router.push(`/runs/${run.id}`);
      else if (key === "x") onToggleSelect(run.id);
      else if (key in controlKeys && !event.shiftKey) {
        const control = controlKeys[key];
        if (control) {
          onControl(run, control);
          follow(run.id);
        }
      } else handled = false;
      if (handled) event.preventDefault();
    },
    [columns, follow, locate, moveTo, onControl, onToggleSelect, openMenu, router],
  );

  useEffect(() => {
    const onWindowKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "?" || isTyping(event.target) || event.metaKey || event.ctrlKey) return;
      event.preventDefault();
      openHelp();
    };
    window.addEventListener("keydown", onWindowKey);
    return () => window.removeEventListener("keydown", onWindowKey);
  }, [openHelp]);

  return { tabbableId, focusRequest, onKeyDown, onFocusCard: setFocusedId, follow };
}
