import type { BoardFilters, BoardRisk, BoardRun } from "@/lib/board";
import { allRunStates } from "./run-states";

/** The board's filters, as they appear in the URL (?job=…&owner=…&risk=…&state=…). */
export type { BoardFilters };

export const filterKeys = ["job", "owner", "risk", "state"] as const;
export type FilterKey = (typeof filterKeys)[number];

const risks: readonly BoardRisk[] = ["minimal", "limited", "high"];

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function read(params: Params, key: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(key) : params[key];
  const one = Array.isArray(value) ? value[0] : value;
  return one && one.length <= 200 ? one : undefined;
}

/** Unknown values are dropped, so a hand-edited URL never breaks the board. */
export function parseFilters(params: Params): BoardFilters {
  const risk = read(params, "risk");
  const state = read(params, "state");
  return {
    job: read(params, "job"),
    owner: read(params, "owner"),
    risk: risks.find((r) => r === risk),
    state: allRunStates.find((s) => s === state),
  };
}

export function filtersToSearch(filters: BoardFilters): string {
  const params = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  const search = params.toString();
  return search ? `?${search}` : "";
}

export function matchesFilters(run: BoardRun, filters: BoardFilters): boolean {
  return (
    (!filters.job || run.jobId === filters.job) &&
    (!filters.owner || run.owner === filters.owner) &&
    (!filters.risk || run.risk === filters.risk) &&
    (!filters.state || run.state === filters.state)
  );
}

export function hasFilters(filters: BoardFilters): boolean {
  return filterKeys.some((key) => Boolean(filters[key]));
}
