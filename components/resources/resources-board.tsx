"use client";

import { useQuery } from "@tanstack/react-query";
import { Cpu } from "lucide-react";
import { useCallback } from "react";
import { LiveIndicator } from "@/components/runs/live-indicator";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { EndpointUsage } from "@/lib/board";
import { ResourceRunList } from "./run-list";
import { SlotMeter } from "./slot-meter";
import { usePollInterval } from "@/components/live/live-events";

async function fetchUsage(signal: AbortSignal): Promise<EndpointUsage[]> {
  const response = await fetch("/api/resources", { cache: "no-store", signal });
  if (!response.ok) throw new Error(`Resources update failed (${response.status})`);
  return ((await response.json()) as { endpoints: EndpointUsage[] }).endpoints;
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: "warning" }) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd
        className={`text-lg font-semibold tabular-nums ${tone === "warning" && value > 0 ? "text-warning-text" : ""}`}
      >
        {value.toLocaleString("en-US")}
      </dd>
    </div>
  );
}

/** Model endpoints, live: the runtime's view of capacity, who holds a slot and who waits. */
export function ResourcesBoard({
  initial,
  jobTitles,
}: {
  initial: EndpointUsage[];
  jobTitles: Record<string, string>;
}) {
  const refetchInterval = usePollInterval(2_000, 5_000);
  const { data, isError, dataUpdatedAt } = useQuery({
    queryKey: ["resources"],
    queryFn: ({ signal }) => fetchUsage(signal),
    initialData: initial,
    staleTime: 0,
    refetchInterval,
    retry: false,
  });
  const jobTitle = useCallback((id: string) => jobTitles[id] ?? id, [jobTitles]);

  if (data.length === 0) {
    return (
      <EmptyState
        icon={Cpu}
        title="No model endpoints configured"
        description="Endpoints are synced from the configuration when the runtime starts (docs/MODELS.md)."
      />
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">Model endpoints</h2>
        <LiveIndicator error={isError} updatedAt={dataUpdatedAt} />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {data.map((e) => (
          <Card key={e.name} data-endpoint={e.name}>
            <CardHeader className="flex-row items-center justify-between gap-2">
              <h3 className="flex items-center gap-2 text-sm font-semibold">
                <Cpu aria-hidden className="size-4 text-muted" />
                <code className="font-mono">{e.name}</code>
              </h3>
              {e.provider === "simulated" ? (
                <Badge tone="violet" title="The built-in offline model that plays each demo job's script">
                  Simulated
                </Badge>
              ) : (
                <span className="flex min-w-0 items-center gap-1.5">
                  <Badge>{e.provider}</Badge>
                  <code className="truncate font-mono text-xs text-muted">{e.model}</code>
                </span>
              )}
            </CardHeader>
            <CardContent className="flex flex-col gap-4">
              <div className="flex flex-col gap-2">
                <SlotMeter capacity={e.capacity} inUse={e.inUse} />
                <p className="text-xs text-muted">
                  {e.inUse} of {e.capacity} concurrent turns in use across all instances (
                  {Math.round((e.inUse / Math.max(1, e.capacity)) * 100)}% utilisation)
                </p>
                <p className="text-xs text-muted" data-tokens-per-minute>
                  {e.tokensLastMinute.toLocaleString("en-US")} tokens in the last minute
                  {e.tokensPerMinute !== null
                    ? ` of ${e.tokensPerMinute.toLocaleString("en-US")} per minute`
                    : " (no tokens-per-minute limit)"}
                </p>
              </div>
              <dl className="grid grid-cols-4 gap-2">
                <Figure label="Capacity" value={e.capacity} />
                <Figure label="In use" value={e.inUse} />
                <Figure label="Waiting" value={e.waiting} tone="warning" />
                <Figure label="Queued" value={e.queued} />
              </dl>
              <div className="grid gap-4 sm:grid-cols-2">
                <ResourceRunList
                  title="Holding a slot"
                  runs={e.holders}
                  total={e.inUse}
                  empty="No turn in flight"
                  jobTitle={jobTitle}
                />
                <ResourceRunList
                  title="Waiting for a slot"
                  runs={e.waiters}
                  total={e.waiting}
                  empty="Nobody waiting"
                  jobTitle={jobTitle}
                />
              </div>
            </CardContent>
          </Card>
        ))}
      </div>
    </div>
  );
}
