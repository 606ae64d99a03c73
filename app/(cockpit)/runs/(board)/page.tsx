import type { Metadata } from "next";
import { RunsBoard } from "@/components/runs/runs-board";
import { filtersToSearch, parseFilters } from "@/components/runs/board-filters";
import { RunsViewSwitch } from "@/components/runs/runs-view-switch";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { boardSnapshot } from "@/lib/board";
import { TIME_RANGE_PARAM } from "@/lib/time-range";
import { TimeRangePicker } from "@/components/time-range/time-range-picker";
import { timeRangeOfRequest } from "@/components/time-range/request-range";

export const metadata: Metadata = { title: "Runs" };

/**
 * Filters live in the URL (?job, owner, risk, state) and so does the shared time range
 * (?range): the first page of each column is read under them.
 */
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RunsPage({ searchParams }: Props) {
  const principal = await authorizePage("runs.read");
  const canControl = roleAllows(principalRole(principal), "runs.control");
  const params = await searchParams;
  const filters = parseFilters(params);
  // The shared time range sets how far back Done reaches (Needs attention keeps a week).
  const { range, error: rangeError } = await timeRangeOfRequest(params, "24h");
  const snapshot = await boardSnapshot(await getDb(), filters, range);
  const search = new URLSearchParams(filtersToSearch(filters));
  search.set(TIME_RANGE_PARAM, range);

  return (
    <>
      <PageHeader
        title="Runs"
        className="mb-4"
        actions={
          <div className="flex flex-wrap items-start gap-3">
            <TimeRangePicker value={range} label="Done within" error={rangeError} />
            <RunsViewSwitch current="board" search={`?${search.toString()}`} />
          </div>
        }
        description={
          canControl
            ? "Every run from queued to done, live. Drag a card to pause, resume, retry or cancel — or press ? for keyboard shortcuts."
            : "Every run from queued to done, live. Your role can watch the board; controls are for operators, leads and admins."
        }
      />
      <RunsBoard initial={snapshot} initialFilters={filters} range={range} canControl={canControl} />
    </>
  );
}
