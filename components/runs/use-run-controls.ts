"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useRef, useState } from "react";
import { toast } from "@/components/ui/toaster";
import type { ControlResult } from "@/lib/runtime";
import type { BoardRun } from "@/lib/board";
import { addRetry, patchRun, type BoardData } from "./board-data";
import type { ColumnId } from "./board-columns";
import { callControl } from "./call-control";
import { CANCEL_GRACE_MS, deferCancel, undoCancel } from "./cancel-grace";
import { allowedControls, controlLabels, optimisticColumn, type RunControl } from "./run-controls";
import { runStateLabels } from "./run-states";
import { shortId } from "./run-status-line";
import { boardQueryKey } from "./use-board";

export interface PendingMove {
  control: RunControl;
  column: ColumnId;
}

function patchFor(result: ControlResult): Partial<BoardRun> {
  if (result.pending === "pause") return { pauseRequested: true };
  if (result.pending === "cancel") return { cancelRequested: true };
  const now = new Date().toISOString();
  const finished = result.state === "cancelled" ? { finishedAt: now } : {};
  // A new state starts now: the card's time-in-state and Paused's order (newest first) read it.
  return { state: result.state, stateSince: now, pauseRequested: false, cancelRequested: false, ...finished };
}

/**
 * Optimistic run controls: the card moves at once, the server action decides, and a
 * refusal (409 with the run's real state, 403, network) moves it back with a toast.
 */
export function useRunControls(announce: (message: string) => void) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [pending, setPending] = useState<ReadonlyMap<string, PendingMove>>(new Map());
  const inFlight = useRef(new Set<string>());

  const settle = useCallback((runId: string) => {
    inFlight.current.delete(runId);
    setPending((map) => {
      const next = new Map(map);
      next.delete(runId);
      return next;
    });
  }, []);

  const send = useCallback(
    async (target: BoardRun, control: RunControl) => {
      const label = controlLabels[control];
      const id = shortId(target.id);
      const result = await callControl(control, target.id);
      if (result.ok) {
        queryClient.setQueriesData<BoardData>({ queryKey: boardQueryKey }, (data) => {
          if (!data) return data;
          return control === "retry"
            ? addRetry(data, target, result.data.id, result.data.state)
            : patchRun(data, target.id, patchFor(result.data));
        });
        const done = result.data.pending
          ? `${label.progressive.toLowerCase()} at the end of its turn`
          : label.done.toLowerCase();
        if (control === "retry") {
          toast.success(`Retry queued as run ${shortId(result.data.id)}`, {
            action: { label: "Open", onClick: () => router.push(`/runs/${result.data.id}`) },
          });
        } else {
          // Every control says what it did, not only the card's move.
          toast.success(`Run ${id}: ${done}`);
        }
        announce(`Run ${id}: ${done}`);
      } else {
        const state = result.error.code === "conflict" ? " — the board may be behind; it refreshes now" : "";
        toast.error(`${label.label} refused: ${result.error.message}${state}`);
        announce(`${label.label} refused: ${result.error.message}`);
      }
      settle(target.id);
      void queryClient.invalidateQueries({ queryKey: boardQueryKey });
    },
    [announce, queryClient, router, settle],
  );

  const run = useCallback(
    async (target: BoardRun, control: RunControl) => {
      const label = controlLabels[control];
      if (!allowedControls(target).includes(control)) {
        toast.error(`Can't ${label.label.toLowerCase()} a run that is ${runStateLabels[target.state].toLowerCase()}`);
        return;
      }
      if (inFlight.current.has(target.id)) return;
      inFlight.current.add(target.id);
      const move = { control, column: optimisticColumn(control, target) };
      setPending((map) => new Map(map).set(target.id, move));

      if (control === "cancel") {
        // Cancelled is final: the card shows "Cancelling…" and the request waits out the grace period.
        const id = shortId(target.id);
        const seconds = Math.round(CANCEL_GRACE_MS / 1000);
        deferCancel(target.id, () => void send(target, control), {
          sentOnExit: () => {
            settle(target.id);
            void queryClient.invalidateQueries({ queryKey: boardQueryKey });
          },
        });
        toast(`Cancelling run ${id} in ${seconds} s`, {
          duration: CANCEL_GRACE_MS,
          action: {
            label: "Undo",
            onClick: () => {
              if (!undoCancel(target.id)) {
                toast.error(`Too late: run ${id} was already cancelled`);
                return;
              }
              settle(target.id);
              toast.success(`Run ${id} kept: cancel undone`);
              announce(`Run ${id} kept: cancel undone`);
            },
          },
        });
        announce(`Run ${id} will be cancelled in ${seconds} seconds; undo from the notification`);
        return;
      }
      await send(target, control);
    },
    [announce, queryClient, send, settle],
  );

  return { pending, run };
}
