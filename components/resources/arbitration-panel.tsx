"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { setFairShareWeight } from "@/lib/actions";
import { LiveIndicator } from "@/components/runs/live-indicator";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { SchedulingKeyView, ServiceBucket } from "@/lib/scheduling";
import { Scale } from "lucide-react";
import { ChartFigure } from "@/components/charts/chart-figure";
import { axisTick, legendLabel, seriesColors, tooltipStyle } from "@/components/charts/theme";
import { usePollInterval } from "@/components/live/live-events";

export interface SchedulingData {
  keys: SchedulingKeyView[];
  series: ServiceBucket[];
}

async function fetchScheduling(signal: AbortSignal): Promise<SchedulingData> {
  const response = await fetch("/api/scheduling", { cache: "no-store", signal });
  if (!response.ok) throw new Error(`Scheduling update failed (${response.status})`);
  return (await response.json()) as SchedulingData;
}

const windows = { "5m": "share5m", "15m": "share15m", "60m": "share60m" } as const;
type WindowName = keyof typeof windows;
// Theme tokens (components/charts/theme.ts): the charts follow light and dark mode.
const series = seriesColors;
const axis = axisTick;
const pctText = (v: number) => `${(v * 100).toFixed(1)}%`;

const ChartWithTable = ChartFigure;

function WeightEditor({ item }: { item: SchedulingKeyView }) {
  const [value, setValue] = useState(String(item.weight));
  const [pending, start] = useTransition();
  const client = useQueryClient();
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        start(async () => {
          const result = await setFairShareWeight({ key: item.key, weight: Number(value) });
          if (result.ok) {
            toast.success(`Weight of ${item.key} set to ${result.data.weight}`);
            await client.invalidateQueries({ queryKey: ["scheduling"] });
          } else toast.error(result.error.message);
        });
      }}
    >
      <label className="sr-only" htmlFor={`weight-${item.key}`}>
        Weight of {item.key}
      </label>
      <Input
        id={`weight-${item.key}`}
        inputMode="decimal"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        className="h-7 w-16 text-xs"
      />
      <Button type="submit" size="sm" variant="secondary" disabled={pending || value === String(item.weight)}>
        Set
      </Button>
    </form>
  );
}

/**
 * The arbitration view: per fair-share key, its share of turns and tokens over the last
 * 5/15/60 minutes against the share its weight entitles it to, queue depth and waits;
 * service per minute; weights editable by an admin.
 */
export function ArbitrationPanel({ initial, canEditWeights }: { initial: SchedulingData; canEditWeights: boolean }) {
  const [windowName, setWindowName] = useState<WindowName>("5m");
  const refetchInterval = usePollInterval(2_000, 5_000);
  const { data, isError, dataUpdatedAt } = useQuery({
    queryKey: ["scheduling"],
    queryFn: ({ signal }) => fetchScheduling(signal),
    initialData: initial,
    staleTime: 0,
    refetchInterval,
    retry: false,
  });
  const keys = data.keys;
  if (keys.length === 0) {
    return (
      <EmptyState
        icon={Scale}
        title="No fair-share keys yet"
        description="A key appears with its first run, or when an admin sets its weight ahead of traffic."
      />
    );
  }
  const field = windows[windowName];
  const shareData = keys.map((k) => ({
    key: k.key,
    share: k[field].share,
    entitled: k.entitled,
    turns: k[field].turns,
    tokens: k[field].tokens,
  }));
  const keyNames = [...new Set(data.series.flatMap((b) => Object.keys(b.cost)))];
  const serviceData = data.series.map((b) => ({
    at: new Date(b.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
    ...b.cost,
  }));
  const waitData = keys.map((k) => ({ key: k.key, p50: k.waitP50Ms ?? 0, p95: k.waitP95Ms ?? 0 }));

  return (
    <section className="flex flex-col gap-3" aria-labelledby="arbitration-heading">
      <div className="flex items-center justify-between">
        <h2 id="arbitration-heading" className="text-sm font-semibold">
          Fair share
        </h2>
        <LiveIndicator error={isError} updatedAt={dataUpdatedAt} />
      </div>
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
          <p className="text-xs text-muted">
            The next turn goes to the key with the least weighted service (turn cost = input + 2 × output tokens), so a
            key&apos;s share follows its weight while it has work.
          </p>
          <div role="group" aria-label="Window" className="flex gap-1">
            {(Object.keys(windows) as WindowName[]).map((w) => (
              <Button
                key={w}
                size="sm"
                variant={w === windowName ? "primary" : "secondary"}
                aria-pressed={w === windowName}
                onClick={() => setWindowName(w)}
              >
                {w}
              </Button>
            ))}
          </div>
        </CardHeader>
        <CardContent className="grid gap-6 lg:grid-cols-2">
          <ChartWithTable
            title={`Share of service over the last ${windowName} vs the share the weight entitles (keys with work)`}
            chart={
              <ResponsiveContainer>
                <BarChart accessibilityLayer={false} data={shareData} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
                  <CartesianGrid stroke="var(--color-border)" vertical={false} />
                  <XAxis dataKey="key" tick={axis} />
                  <YAxis tickFormatter={pctText} tick={axis} domain={[0, 1]} />
                  <Tooltip formatter={(v) => pctText(Number(v))} contentStyle={tooltipStyle} />
                  <Legend wrapperStyle={{ fontSize: 11 }} formatter={legendLabel} />
                  <Bar dataKey="share" name="Share" fill="var(--color-accent)" isAnimationActive={false} />
                  <Bar dataKey="entitled" name="Entitled" fill="var(--color-border-strong)" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            }
            table={
              <table className="w-full text-left tabular-nums">
                <caption className="sr-only">Share of service per key, last {windowName}</caption>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Turns</th>
                    <th scope="col">Tokens</th>
                    <th scope="col">Share</th>
                    <th scope="col">Entitled</th>
                  </tr>
                </thead>
                <tbody>
                  {shareData.map((r) => (
                    <tr key={r.key}>
                      <th scope="row" className="font-mono font-normal">
                        {r.key}
                      </th>
                      <td>{r.turns}</td>
                      <td>{r.tokens.toLocaleString("en-US")}</td>
                      <td>{pctText(r.share)}</td>
                      <td>{pctText(r.entitled)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
          <ChartWithTable
            title="Turn cost served per minute, last 15 minutes"
            chart={
              <ResponsiveContainer>
                <AreaChart
                  accessibilityLayer={false}
                  data={serviceData}
                  margin={{ left: 0, right: 8, top: 8, bottom: 0 }}
                >
                  <CartesianGrid stroke="var(--color-border)" vertical={false} />
                  <XAxis dataKey="at" tick={axis} />
                  <YAxis tick={axis} />
                  <Tooltip contentStyle={tooltipStyle} />
                  <Legend wrapperStyle={{ fontSize: 11 }} formatter={legendLabel} />
                  {keyNames.map((k, i) => (
                    <Area
                      key={k}
                      dataKey={k}
                      stackId="1"
                      stroke={series[i % series.length]}
                      fill={series[i % series.length]}
                      fillOpacity={0.35}
                      isAnimationActive={false}
                    />
                  ))}
                </AreaChart>
              </ResponsiveContainer>
            }
            table={
              <table className="w-full text-left tabular-nums">
                <caption className="sr-only">Turn cost served per key per minute</caption>
                <thead>
                  <tr>
                    <th scope="col">Minute</th>
                    {keyNames.map((k) => (
                      <th key={k} scope="col" className="font-mono">
                        {k}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.series.map((b) => (
                    <tr key={b.at}>
                      <th scope="row" className="font-normal">
                        {new Date(b.at).toLocaleTimeString()}
                      </th>
                      {keyNames.map((k) => (
                        <td key={k}>{Math.round(b.cost[k] ?? 0).toLocaleString("en-US")}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
          <ChartWithTable
            title="Wait before a turn starts, last 5 minutes (p50 and p95)"
            chart={
              <ResponsiveContainer>
                <BarChart accessibilityLayer={false} data={waitData} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
                  <CartesianGrid stroke="var(--color-border)" vertical={false} />
                  <XAxis dataKey="key" tick={axis} />
                  <YAxis tick={axis} unit=" ms" />
                  <Tooltip contentStyle={tooltipStyle} />
                  <Legend wrapperStyle={{ fontSize: 11 }} formatter={legendLabel} />
                  <Bar dataKey="p50" name="p50" fill="var(--color-info)" isAnimationActive={false} />
                  <Bar dataKey="p95" name="p95" fill="var(--color-warning)" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            }
            table={
              <table className="w-full text-left tabular-nums">
                <caption className="sr-only">Wait percentiles per key</caption>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">p50</th>
                    <th scope="col">p95</th>
                  </tr>
                </thead>
                <tbody>
                  {keys.map((k) => (
                    <tr key={k.key}>
                      <th scope="row" className="font-mono font-normal">
                        {k.key}
                      </th>
                      <td>{k.waitP50Ms ?? "—"} ms</td>
                      <td>{k.waitP95Ms ?? "—"} ms</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
          <div className="overflow-x-auto">
            <table className="w-full text-left text-xs tabular-nums" data-scheduling-keys>
              <caption className="pb-2 text-left text-xs font-medium text-muted">
                Keys: weight, virtual time and queue
              </caption>
              <thead className="text-muted">
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Weight</th>
                  <th scope="col">Virtual time</th>
                  <th scope="col">Queued</th>
                  <th scope="col">Running</th>
                  <th scope="col">Waiting</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.key} data-key={k.key} className="border-t border-border">
                    <th scope="row" className="py-1 font-mono font-normal">
                      {k.key}
                    </th>
                    <td className="py-1">
                      {canEditWeights ? <WeightEditor key={`${k.key}:${k.weight}`} item={k} /> : k.weight}
                      <span className="sr-only">
                        {k.weightSource === "admin" ? " (set by an admin)" : " (declared)"}
                      </span>
                    </td>
                    <td className="py-1">{Math.round(k.vtime).toLocaleString("en-US")}</td>
                    <td className="py-1">{k.queued}</td>
                    <td className="py-1">{k.running}</td>
                    <td className="py-1">{k.waiting}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </CardContent>
      </Card>
    </section>
  );
}
