import { Workflow } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RunNowDialog } from "@/components/jobs/run-now-dialog";
import { RunSparklines } from "@/components/jobs/run-sparklines";
import { RunStatsCell } from "@/components/jobs/run-stats";
import type { JsonSchema } from "@/components/jobs/schema-fields";
import { oversightShort, TriggerSummaryList } from "@/components/jobs/trigger-summary";
import { authorizePage } from "@/components/shell/authorize-page";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RiskBadge } from "@/components/ui/risk-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/db/client";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { TimeRangePicker } from "@/components/time-range/time-range-picker";
import { emptySeries, emptyStats, jobChartWindow, jobRunSeries, jobRunStats } from "@/lib/board";
import { timeRangeLabels } from "@/lib/time-range";
import { timeRangeOfRequest } from "@/components/time-range/request-range";
import { listJobs } from "@/lib/jobs";

export const metadata: Metadata = { title: "Jobs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function JobsPage({ searchParams }: Props) {
  const principal = await authorizePage("jobs.read");
  const canRun = roleAllows(principalRole(principal), "runs.create");
  const { range, error: rangeError } = await timeRangeOfRequest(await searchParams, "30d");
  const db = await getDb();
  const chart = await jobChartWindow(db, range);
  const [jobs, stats, series] = await Promise.all([
    listJobs(db),
    jobRunStats(db, undefined, chart.from),
    jobRunSeries(db, { window: chart }),
  ]);
  const noRuns = emptySeries(chart);

  return (
    <>
      <PageHeader
        title="Jobs"
        description="The job registry: what each agent job does, who owns it, its risk level and oversight, and how it is triggered."
        actions={<TimeRangePicker value={range} label="Runs over" error={rangeError} />}
      />
      {jobs.length === 0 ? (
        <EmptyState
          icon={Workflow}
          title="No jobs in the registry"
          description={
            <>
              Jobs are declared in domain packs under <code className="font-mono text-xs">domains/</code> and synced
              into the registry when the server starts, each version identified by a hash of its declaration.
            </>
          }
        />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Job</TableHead>
              <TableHead scope="col">Owner · risk · oversight</TableHead>
              <TableHead scope="col">Data categories</TableHead>
              <TableHead scope="col">Triggers</TableHead>
              <TableHead scope="col">Runs ({timeRangeLabels[range].toLowerCase()})</TableHead>
              {canRun ? (
                <TableHead scope="col">
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {jobs.map((job) => (
              <TableRow key={job.id} className="align-top">
                <TableCell className="max-w-56 min-w-44 py-2">
                  <Link href={`/jobs/${job.id}`} className="font-medium text-foreground hover:underline">
                    {job.title}
                  </Link>
                  <p className="font-mono text-[11px] text-muted">
                    {job.id} ·{" "}
                    <span title={`Version ${job.version}`}>
                      <span className="sr-only">version </span>
                      {job.version.slice(0, 8)}
                    </span>
                  </p>
                  <p className="mt-0.5 line-clamp-2 text-xs text-muted">{job.description}</p>
                </TableCell>
                <TableCell className="max-w-52 py-2 text-xs">
                  {/* Three governance facts in one cell: the table fits a 1280 px window. */}
                  <p className="truncate" title={job.governance.owner}>
                    {job.governance.owner}
                  </p>
                  <p className="mt-1 flex flex-wrap items-center gap-1.5">
                    <RiskBadge level={job.governance.riskLevel} />
                    <span className="whitespace-nowrap text-muted">
                      {oversightShort[job.governance.humanOversight]}
                    </span>
                  </p>
                </TableCell>
                <TableCell className="max-w-44 py-2">
                  <span className="flex flex-wrap gap-1">
                    {job.governance.dataCategories.length === 0 ? (
                      <span className="text-xs text-muted">None</span>
                    ) : null}
                    {job.governance.dataCategories.map((c) => (
                      <Badge key={c}>{c}</Badge>
                    ))}
                  </span>
                </TableCell>
                <TableCell className="max-w-48 py-2">
                  <TriggerSummaryList triggers={job.triggers} missedTicks={job.missedTicks} />
                </TableCell>
                <TableCell className="py-2">
                  <RunStatsCell stats={stats.get(job.id) ?? emptyStats(job.id)} />
                  <RunSparklines series={series.get(job.id) ?? noRuns} />
                </TableCell>
                {canRun ? (
                  <TableCell className="py-2 text-right">
                    {job.triggers.some((t) => t.kind === "manual") ? (
                      <RunNowDialog
                        jobId={job.id}
                        jobTitle={job.title}
                        schema={job.input as JsonSchema}
                        size="sm"
                        variant="secondary"
                      />
                    ) : null}
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
