import type { Metadata } from "next";
import { ArbitrationPanel } from "@/components/resources/arbitration-panel";
import { CapacityCharts } from "@/components/resources/capacity-charts";
import { LocksTable } from "@/components/memory/locks-table";
import { ResourcesBoard } from "@/components/resources/resources-board";
import { LiveRefresh } from "@/components/runs/live-refresh";
import { authorizePage } from "@/components/shell/authorize-page";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { endpointUsage, resourceChartWindow, resourceSeries, resourceWaitSeries } from "@/lib/board";
import { ResourceWaitCharts } from "@/components/resources/resource-wait-charts";
import { TimeRangePicker } from "@/components/time-range/time-range-picker";
import { timeRangeOfRequest } from "@/components/time-range/request-range";
import { listJobs } from "@/lib/jobs";
import { principalRole, roleAllows } from "@/lib/auth";
import { schedulingOverview, serviceSeries } from "@/lib/scheduling";
import { listLocks } from "@/lib/memory";
import { listMcpServerStatus } from "@/lib/mcp";
import { McpServersTable } from "@/components/resources/mcp-servers";

export const metadata: Metadata = { title: "Resources" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ResourcesPage({ searchParams }: Props) {
  const principal = await authorizePage("resources.read");
  const { range, error: rangeError } = await timeRangeOfRequest(await searchParams, "1h");
  const db = await getDb();
  const chart = await resourceChartWindow(db, range);
  const [usage, jobs, overview, series, locks, capacity, waits] = await Promise.all([
    endpointUsage(db),
    listJobs(db, { includeRemoved: true }),
    schedulingOverview(db),
    serviceSeries(db, 15),
    listLocks(db),
    resourceSeries(db, chart),
    resourceWaitSeries(db, chart),
  ]);
  const mcpServers = listMcpServerStatus();
  const canEditWeights = roleAllows(principalRole(principal), "scheduling.manage");

  return (
    <>
      <PageHeader
        title="Resources"
        description="Shared capacity that runs contend for, and how the runtime is arbitrating it right now: fair share across keys by weighted token cost, then model slots and rate limits. A run holds a model slot only for the length of one turn."
      />
      <div className="flex flex-col gap-8">
        <ArbitrationPanel initial={{ ...overview, series }} canEditWeights={canEditWeights} />
        <ResourcesBoard initial={usage} jobTitles={Object.fromEntries(jobs.map((j) => [j.id, j.title]))} />
        <CapacityCharts
          data={capacity}
          picker={<TimeRangePicker value={range} label="Charts over" error={rangeError} />}
        />
        <ResourceWaitCharts series={waits} bucket={chart.bucket} span={chart.span} />
      </div>
      <section className="mt-8 flex flex-col gap-2" aria-labelledby="locks-heading">
        <LiveRefresh active intervalMs={2_000} kinds={["resources"]} />
        <h2 id="locks-heading" className="text-sm font-medium">
          Entity locks
        </h2>
        <p className="text-xs text-muted">
          Agent-level locks on shared-memory entities: holders, and waiters in the order they will be granted (a waiting
          run holds no model slot).
        </p>
        <LocksTable locks={locks} />
      </section>
      {mcpServers.length > 0 ? (
        <section className="mt-8 flex flex-col gap-2" aria-labelledby="mcp-heading">
          <h2 id="mcp-heading" className="text-sm font-medium">
            MCP servers
          </h2>
          <p className="text-xs text-muted">
            Configured in FLIGHTDECK_MCP_SERVERS; their tools are gateway tools named mcp:&lt;server&gt;:&lt;tool&gt;.
            As seen by this app process (a worker process keeps its own connections); a server that is down is tried
            again every 30 s.
          </p>
          <McpServersTable servers={mcpServers} />
        </section>
      ) : null}
    </>
  );
}
