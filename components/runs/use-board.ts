"use client";

import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";
import type { BoardPage, BoardResponse, BoardSnapshot, ColumnId } from "@/lib/board";
import { boardColumnIds } from "@/lib/board-columns";
import { usePollInterval } from "@/components/live/live-events";
import { fromResponse, withPage, type BoardData } from "./board-data";
import type { TimeRange } from "@/lib/time-range";
import { filtersToSearch, type BoardFilters } from "./board-filters";

/** Every board query starts with this: controls patch and invalidate all of them at once. */
export const boardQueryKey = ["board"] as const;
const boardKey = (filters: BoardFilters, range: TimeRange) =>
  [...boardQueryKey, filtersToSearch(filters), range] as const;

/**
 * Without the live stream, one poll a second keeps a change on screen within ~1.5 s (poll +
 * query + render). With it, each run event refetches the delta at once (LiveEventsProvider)
 * and the poll only backs up a stream that is silently broken.
 */
export const BOARD_POLL_MS = 1_000;
export const BOARD_LIVE_POLL_MS = 15_000;

/** `?job=…` plus more parameters, whether or not the filters added a `?`. */
function withParams(filters: BoardFilters, extra: Record<string, string>): string {
  const params = new URLSearchParams(filtersToSearch(filters));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const search = params.toString();
  return search ? `?${search}` : "";
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { cache: "no-store", signal, headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`Board update failed (${response.status})`);
  return (await response.json()) as T;
}

async function fetchBoard(
  queryClient: QueryClient,
  filters: BoardFilters,
  range: TimeRange,
  signal: AbortSignal,
): Promise<BoardData> {
  const key = boardKey(filters, range);
  const before = queryClient.getQueryData<BoardData>(key);
  const body = await getJson<BoardResponse>(
    `/api/board${withParams(filters, before ? { range, since: before.cursor } : { range })}`,
    signal,
  );
  // Merge into what is cached NOW: a control may have patched a card while this was in flight.
  return fromResponse(queryClient.getQueryData<BoardData>(key), body);
}

/**
 * The board's data under the filters and time range: the server-rendered snapshot first (the first page of
 * every column), then a delta (runs changed since the last cursor) every second. Same
 * object back when nothing changed, so no re-render. A new filter fetches its own snapshot
 * while the previous board stays on screen, filtered in the browser meanwhile.
 */
export function useBoard(
  initial: BoardSnapshot,
  initialFilters: BoardFilters,
  filters: BoardFilters,
  range: TimeRange,
) {
  const queryClient = useQueryClient();
  const initialKey = filtersToSearch(initialFilters);
  // Coming back to the board: the server's fresh snapshot beats a cache left behind earlier.
  useState(() => {
    const cached = queryClient.getQueryData<BoardData>(boardKey(initialFilters, range));
    if (cached && cached.cursor < initial.cursor)
      queryClient.setQueryData(boardKey(initialFilters, range), fromResponse(undefined, initial));
    return null;
  });
  const refetchInterval = usePollInterval(BOARD_POLL_MS, BOARD_LIVE_POLL_MS);
  const query = useQuery({
    queryKey: boardKey(filters, range),
    queryFn: ({ signal }) => fetchBoard(queryClient, filters, range, signal),
    initialData: filtersToSearch(filters) === initialKey ? () => fromResponse(undefined, initial) : undefined,
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    structuralSharing: false,
    retry: false,
  });

  // One page request per column at a time; a scroll that keeps the sentinel in view asks once.
  const loading = useRef(new Set<string>());
  // Page requests whose last try failed, per board (filters and range) and column: the column
  // says so, and the automatic fetch of a short column stops asking until the person retries.
  const [failed, setFailed] = useState<ReadonlySet<string>>(() => new Set());
  const markFailed = useCallback((marker: string, failedNow: boolean) => {
    setFailed((current) => {
      if (current.has(marker) === failedNow) return current;
      const next = new Set(current);
      if (failedNow) next.add(marker);
      else next.delete(marker);
      return next;
    });
  }, []);
  const markerOf = useCallback((column: ColumnId) => [...boardKey(filters, range), column].join("|"), [filters, range]);
  const loadFailed = useMemo(
    () => new Set(boardColumnIds.filter((column) => failed.has(markerOf(column)))),
    [failed, markerOf],
  );
  const loadMore = useCallback(
    async (column: ColumnId) => {
      const key = boardKey(filters, range);
      const after = queryClient.getQueryData<BoardData>(key)?.columns[column].next;
      const marker = markerOf(column);
      if (!after || loading.current.has(marker)) return;
      loading.current.add(marker);
      markFailed(marker, false);
      try {
        const page = await getJson<BoardPage>(`/api/board/columns/${column}${withParams(filters, { after, range })}`);
        queryClient.setQueryData<BoardData>(key, (data) =>
          data && data.columns[column].next === after ? withPage(data, page) : data,
        );
      } catch (error) {
        markFailed(marker, true);
        throw error;
      } finally {
        loading.current.delete(marker);
      }
    },
    [filters, markFailed, markerOf, queryClient, range],
  );
  return { ...query, loadMore, loadFailed };
}
