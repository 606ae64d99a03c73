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

export const metadata: Metadata = { title: "Runs" };

/** Filters live in the URL (?job, owner, risk, state): the first page of each column is read under them. */
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RunsPage({ searchParams }: Props) {
  const principal = await authorizePage("runs.read");
  const canControl = roleAllows(principalRole(principal), "runs.control");
  const filters = parseFilters(await searchParams);
  const snapshot = await boardSnapshot(await getDb(), filters);

  return (
    <>
      <PageHeader
        title="Runs"
        className="mb-4"
        actions={<RunsViewSwitch current="board" search={filtersToSearch(filters)} />}
        description={
          canControl
            ? "Every run from queued to done, live. Drag a card to pause, resume, retry or cancel — or press ? for keyboard shortcuts."
            : "Every run from queued to done, live. Your role can watch the board; controls are for operators, leads and admins."
        }
      />
      <RunsBoard initial={snapshot} initialFilters={filters} canControl={canControl} />
    </>
  );
}
