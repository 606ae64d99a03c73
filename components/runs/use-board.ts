"use client";

import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { BoardResponse, BoardSnapshot } from "@/lib/board";
import { usePollInterval } from "@/components/live/live-events";
import { fromResponse, type BoardData } from "./board-data";

export const boardQueryKey = ["board"] as const;

/**
 * Without the live stream, one poll a second keeps a change on screen within ~1.5 s (poll +
 * query + render). With it, each run event refetches the delta at once (LiveEventsProvider)
 * and the poll only backs up a stream that is silently broken.
 */
export const BOARD_POLL_MS = 1_000;
export const BOARD_LIVE_POLL_MS = 15_000;

async function fetchBoard(queryClient: QueryClient, signal: AbortSignal): Promise<BoardData> {
  const before = queryClient.getQueryData<BoardData>(boardQueryKey);
  const url = before ? `/api/board?since=${encodeURIComponent(before.cursor)}` : "/api/board";
  const response = await fetch(url, { cache: "no-store", signal, headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`Board update failed (${response.status})`);
  const body = (await response.json()) as BoardResponse;
  // Merge into what is cached NOW: a control may have patched a card while this was in flight.
  return fromResponse(queryClient.getQueryData<BoardData>(boardQueryKey), body);
}

/**
 * The board's data: the server-rendered snapshot first, then a delta (runs changed since
 * the last cursor) every second. Same object back when nothing changed, so no re-render.
 */
export function useBoard(initial: BoardSnapshot) {
  const queryClient = useQueryClient();
  // Coming back to the board: the server's fresh snapshot beats a cache left behind earlier.
  useState(() => {
    const cached = queryClient.getQueryData<BoardData>(boardQueryKey);
    if (cached && cached.cursor < initial.cursor)
      queryClient.setQueryData(boardQueryKey, fromResponse(undefined, initial));
    return null;
  });
  const refetchInterval = usePollInterval(BOARD_POLL_MS, BOARD_LIVE_POLL_MS);
  return useQuery({
    queryKey: boardQueryKey,
    queryFn: ({ signal }) => fetchBoard(queryClient, signal),
    initialData: () => fromResponse(undefined, initial),
    staleTime: 0,
    refetchInterval,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    structuralSharing: false,
    retry: false,
  });
}
