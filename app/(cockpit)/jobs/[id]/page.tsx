import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobCharts } from "@/components/jobs/job-charts";
import { RecentRuns } from "@/components/jobs/recent-runs";
import { successRateText } from "@/components/jobs/run-stats";
import { RunNowDialog } from "@/components/jobs/run-now-dialog";
import type { JsonSchema } from "@/components/jobs/schema-fields";
import { JobTriggers } from "@/components/jobs/job-triggers";
import { VersionHistory } from "@/components/jobs/version-history";
import { formatDuration } from "@/components/runs/duration";
import { DefinitionList, GovernanceList } from "@/components/runs/governance-list";
import { JsonBlock } from "@/components/runs/json-block";
import { authorizePage } from "@/components/shell/authorize-page";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RiskBadge } from "@/components/ui/risk-badge";
import { getDb } from "@/db/client";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { diffDeclarations } from "@/lib/board";
import { emptySeries, emptyStats, jobChartWindow, jobDurationHistogram, jobRunSeries, jobRunStats } from "@/lib/board";
import { TimeRangePicker } from "@/components/time-range/time-range-picker";
import { timeRangeLabels } from "@/lib/time-range";
import { timeRangeOfRequest } from "@/components/time-range/request-range";
import { getJob } from "@/lib/jobs";
import { listRuns } from "@/lib/runtime";
import { listMissedTicks } from "@/lib/runtime";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id}` };
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-border bg-surface px-3 py-2.5" title={hint}>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

export default async function JobPage({ params, searchParams }: Props) {
  const principal = await authorizePage("jobs.read");
  const { id } = await params;
  const { range, error: rangeError } = await timeRangeOfRequest(await searchParams, "30d");
  const db = await getDb();
  const detail = await getJob(db, id);
  if (!detail) notFound();
  const { job, versions } = detail;
  const chart = await jobChartWindow(db, range, id);
  const [statsMap, seriesMap, durations, recent, missed] = await Promise.all([
    jobRunStats(db, id, chart.from),
    jobRunSeries(db, { window: chart, jobId: id }),
    jobDurationHistogram(db, id, chart.from),
    listRuns(db, { job: id, limit: 15, state: undefined, cursor: undefined }),
    listMissedTicks(db, { jobId: id, limit: 10 }),
  ]);
  const stats = statsMap.get(id) ?? emptyStats(id);
  const series = seriesMap.get(id) ?? emptySeries(chart);
  const canRun =
    roleAllows(principalRole(principal), "runs.create") &&
    !job.removedAt &&
    job.triggers.some((t) => t.kind === "manual");
  // Versions are newest first: each is compared with the next older one.
  const history = versions.map((v, i) => {
    const older = versions[i + 1];
    return {
      version: v.version,
      createdAt: v.createdAt,
      current: v.current,
      changes: older ? diffDeclarations(older.declaration, v.declaration) : null,
    };
  });

  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {job.title}
            <RiskBadge level={job.governance.riskLevel} />
            {job.removedAt ? <Badge tone="warning">Removed from code</Badge> : null}
          </span>
        }
        description={
          <>
            <code className="font-mono text-xs text-foreground">{job.id}</code> · {job.domain} · {job.description}
          </>
        }
        actions={canRun ? <RunNowDialog jobId={job.id} jobTitle={job.title} schema={job.input as JsonSchema} /> : null}
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="flex min-w-0 flex-col gap-6">
          <section aria-labelledby="job-stats">
            <div className="mb-2 flex flex-wrap items-end justify-between gap-2">
              <h2 id="job-stats" className="text-sm font-semibold">
                Runs, {timeRangeLabels[range].toLowerCase()}
              </h2>
              <TimeRangePicker value={range} label="Runs over" error={rangeError} />
            </div>
            <dl className="grid grid-cols-2 gap-2 md:grid-cols-4">
              <Stat label="Runs" value={stats.runs.toLocaleString("en-US")} />
              <Stat
                label="Success rate"
                value={successRateText(stats)}
                hint="Succeeded of finished runs; cancellations do not count"
              />
              <Stat
                label="Median duration"
                value={formatDuration(stats.medianDurationMs)}
                hint="Of succeeded runs, start to finish"
              />
              <Stat label="Active now" value={stats.active.toLocaleString("en-US")} />
            </dl>
            {stats.runs === 0 ? (
              <p className="mt-2 text-xs text-muted">No runs in this window: the charts appear with the first run.</p>
            ) : (
              <div className="mt-4">
                <JobCharts series={series} durations={durations} />
              </div>
            )}
          </section>
          <section aria-labelledby="job-triggers">
            <h2 id="job-triggers" className="mb-2 text-sm font-semibold">
              Triggers
            </h2>
            <JobTriggers triggers={job.triggers} missed={missed} missedTotal={job.missedTicks} />
          </section>
          <section aria-labelledby="job-recent-runs">
            <h2 id="job-recent-runs" className="mb-2 text-sm font-semibold">
              Recent runs
            </h2>
            <RecentRuns runs={recent.runs} jobId={job.id} />
          </section>
          <section aria-labelledby="job-versions">
            <h2 id="job-versions" className="mb-2 text-sm font-semibold">
              Version history
            </h2>
            <VersionHistory versions={history} />
          </section>
        </div>
        <aside className="flex flex-col gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Governance</CardTitle>
            </CardHeader>
            <CardContent>
              <GovernanceList governance={job.governance as unknown as Record<string, unknown>} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Agent and budgets</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col gap-3">
              <DefinitionList
                rows={[
                  { term: "Model endpoint", value: <code className="font-mono text-xs">{job.agent.model}</code> },
                  {
                    term: "Tools",
                    value: (
                      <span className="flex flex-wrap gap-1">
                        {job.agent.tools.map((t) => (
                          <Badge key={t} className="font-mono">
                            {t}
                          </Badge>
                        ))}
                      </span>
                    ),
                  },
                  { term: "Max turns", value: String(job.agent.maxTurns) },
                  { term: "Token budget", value: job.budgets.tokens.toLocaleString("en-US") },
                  { term: "Wall clock", value: formatDuration(job.budgets.wallClockMs) },
                  {
                    term: "Scheduling",
                    value: `${job.scheduling.group} · weight ${job.scheduling.weight} · priority ${job.scheduling.priority}`,
                  },
                  ...(job.agent.httpAllowlist?.length
                    ? [{ term: "HTTP hosts", value: job.agent.httpAllowlist.join(", ") }]
                    : []),
                ]}
              />
              <details>
                <summary className="cursor-pointer text-xs font-medium text-muted">Instructions</summary>
                <p className="mt-1.5 text-xs whitespace-pre-wrap text-foreground">{job.agent.instructions}</p>
              </details>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Input schema</CardTitle>
              <CardDescription>What “Run now” and the API accept (JSON Schema).</CardDescription>
            </CardHeader>
            <CardContent>
              <JsonBlock value={job.input} label="Input JSON Schema" />
            </CardContent>
          </Card>
        </aside>
      </div>
    </>
  );
}
