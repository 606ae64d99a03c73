import { Download } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RunListFilters } from "@/components/runs/run-list-filters";
import { RunListTable, type SortKey } from "@/components/runs/run-list-table";
import { RunsViewSwitch } from "@/components/runs/runs-view-switch";
import { authorizePage } from "@/components/shell/authorize-page";
import { buttonClassName } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { principalRole, roleAllows } from "@/lib/auth";
import { listRunPage, RUN_LIST_DEFAULT_RANGE, runListQuery, runListSorts, type RunListQuery } from "@/lib/board";
import { timeRangeOfRequest } from "@/components/time-range/request-range";
import { listJobs } from "@/lib/jobs";

export const metadata: Metadata = { title: "Runs — list" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The query as URL parameters, defaults left out so links stay short — except the time range,
 * always written: without it the reader's remembered range (a cookie) would apply.
 */
function searchOf(query: RunListQuery, change: Partial<Record<keyof RunListQuery, string | number>> = {}): string {
  const params = new URLSearchParams();
  const values: Record<string, string | number | undefined> = {
    q: query.q,
    job: query.job,
    owner: query.owner,
    risk: query.risk,
    state: query.state?.join(","),
    range: query.range,
    sort: query.sort === "created" ? undefined : query.sort,
    dir: query.dir === "desc" ? undefined : query.dir,
    page: query.page === 1 ? undefined : query.page,
    ...change,
  };
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== "") params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export default async function RunListPage({ searchParams }: Props) {
  const principal = await authorizePage("runs.read");
  const canControl = roleAllows(principalRole(principal), "runs.control");
  const params = await searchParams;
  const raw = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // No range in the URL: the last one chosen anywhere in the cockpit, else the last 7 days.
  const range = await timeRangeOfRequest(params, RUN_LIST_DEFAULT_RANGE);
  const parsed = runListQuery.safeParse(range.source === "url" || range.error ? raw : { ...raw, range: range.range });
  const query = parsed.success ? parsed.data : runListQuery.parse({});
  const db = await getDb();
  const [page, jobs] = await Promise.all([listRunPage(db, query), listJobs(db)]);
  const owners = [...new Set(jobs.map((j) => j.governance.owner).filter((o): o is string => Boolean(o)))].sort();
  const first = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const last = Math.min(page.total, page.page * page.pageSize);
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const sortHref = Object.fromEntries(
    runListSorts.map((key) => [
      key,
      `/runs/list${searchOf(query, { sort: key, dir: query.sort === key && query.dir === "desc" ? "asc" : "desc", page: 1 })}`,
    ]),
  ) as Record<SortKey, string>;
  const shared = searchOf({ ...query, sort: "created", dir: "desc", page: 1 });

  return (
    <>
      <PageHeader
        title="Runs"
        className="mb-4"
        description="Every run, sortable and filterable; select runs to control them together, or export what you see as CSV."
        actions={<RunsViewSwitch current="list" search={shared} />}
      />
      <div className="flex flex-col gap-3">
        <RunListFilters query={query} jobs={jobs.map((j) => ({ id: j.id, title: j.title }))} owners={owners} />
        {parsed.success ? null : (
          <p role="alert" className="text-[13px] text-danger-text">
            Some filters were not understood and were left out:{" "}
            {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
          </p>
        )}
        <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-muted">
          <span aria-live="polite">
            {page.total === 0
              ? "No runs"
              : `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${page.total.toLocaleString("en")} runs`}
          </span>
          <a
            href={`/api/runs/export${searchOf({ ...query, page: 1 })}`}
            className={buttonClassName("secondary", "sm")}
            download
          >
            <Download aria-hidden />
            Export CSV
          </a>
        </div>
        <RunListTable rows={page.runs} canControl={canControl} sortHref={sortHref} sort={query.sort} dir={query.dir} />
        {pages > 1 ? (
          <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-xs">
            {page.page > 1 ? (
              <Link
                href={`/runs/list${searchOf(query, { page: page.page - 1 })}`}
                className={buttonClassName("secondary", "sm")}
              >
                Previous
              </Link>
            ) : null}
            <span className="text-muted">
              Page {page.page} of {pages.toLocaleString("en")}
            </span>
            {page.page < pages ? (
              <Link
                href={`/runs/list${searchOf(query, { page: page.page + 1 })}`}
                className={buttonClassName("secondary", "sm")}
              >
                Next
              </Link>
            ) : null}
          </nav>
        ) : null}
      </div>
    </>
  );
}
