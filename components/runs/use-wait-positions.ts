"use client";

import { useQuery } from "@tanstack/react-query";
import type { BoardRun } from "@/lib/board";
import { fetchJson } from "@/components/audit/fetch-json";

/** GET /api/scheduling/positions answers at most this many runs a request. */
const MAX_RUNS = 200;
const EMPTY: ReadonlyMap<string, string> = new Map();

/** A run held back by a full model endpoint (claim.ts marks it `resource:<endpoint>` and leaves it runnable). */
export const waitsForSlot = (run: BoardRun) =>
  (run.state === "queued" || run.state === "running") && (run.reason?.startsWith("resource:") ?? false);

/**
 * Where the board's waiting cards stand in their endpoint's queue ("3rd for default; key acme
 * is over its share"), by run id. Asked only while some card waits for a slot; positions move
 * as other runs are claimed, so they are asked again every two seconds.
 */
export function useWaitPositions(runs: Iterable<BoardRun>): ReadonlyMap<string, string> {
  const ids: string[] = [];
  for (const run of runs) {
    if (ids.length >= MAX_RUNS) break;
    if (waitsForSlot(run)) ids.push(run.id);
  }
  ids.sort();
  const query = useQuery<ReadonlyMap<string, string>>({
    queryKey: ["wait-positions", ids.join(",")],
    enabled: ids.length > 0,
    staleTime: 1_000,
    refetchInterval: 2_000,
    placeholderData: (previous) => previous,
    queryFn: async ({ signal }) => {
      const body = await fetchJson<{ positions: Record<string, { text: string }> }>(
        `/api/scheduling/positions?runs=${encodeURIComponent(ids.join(","))}`,
        signal,
      );
      return new Map(Object.entries(body.positions).map(([id, p]) => [id, p.text]));
    },
  });
  return ids.length > 0 ? (query.data ?? EMPTY) : EMPTY;
}
