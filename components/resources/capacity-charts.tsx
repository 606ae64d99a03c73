"use client";

import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ReactNode } from "react";
import { ChartFigure } from "@/components/charts/chart-figure";
import { WaitChart } from "./wait-chart";
import { bucketHeading, bucketLabel, inSpan, perBucket } from "@/components/charts/describe";
import { axisTick, chartColors, legendLabel, legendStyle, tooltipStyle } from "@/components/charts/theme";
import type { ResourceSeries } from "@/lib/board";

const margin = { left: 0, right: 8, top: 8, bottom: 0 };

/**
 * Model capacity over the chosen time range, per endpoint: slots held by turns per bucket
 * against its max concurrency, and how long its turns waited to start (p50, p95).
 */
export function CapacityCharts({ data, picker }: { data: ResourceSeries; picker: ReactNode }) {
  const busy = data.endpoints.filter((e) => e.buckets.some((m) => m.slots > 0 || m.turnsStarted > 0));
  const idle = data.endpoints.filter((e) => !busy.includes(e));
  const label = (at: string) => bucketLabel(at, data.bucket);
  const per = perBucket(data);
  const timeHead = bucketHeading[data.bucket];

  return (
    <section className="flex flex-col gap-3" aria-labelledby="capacity-heading">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h2 id="capacity-heading" className="text-sm font-semibold">
          Model capacity, {data.span}
        </h2>
        {picker}
      </div>
      {busy.length === 0 ? (
        <p className="rounded-md border border-dashed border-border-strong px-3 py-6 text-center text-xs text-muted">
          No turns {inSpan(data.span)}: utilisation and waits appear as runs take turns.
        </p>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2" data-capacity-charts>
          {busy.map((e) => {
            const rows = e.buckets.map((m) => ({ ...m, label: label(m.at) }));
            const waits = e.waits.map((w) => ({
              at: w.at,
              label: label(w.at),
              count: w.turns,
              low: w.p50Ms,
              high: w.p95Ms,
            }));
            return [
              <ChartFigure
                key={`slots-${e.endpoint}`}
                title={`Model slots in use on ${e.endpoint} ${per} (average), of ${e.capacity}, UTC`}
                chart={
                  <ResponsiveContainer>
                    <AreaChart accessibilityLayer={false} data={rows} margin={margin}>
                      <CartesianGrid stroke={chartColors.grid} vertical={false} />
                      <XAxis dataKey="label" tick={axisTick} minTickGap={16} />
                      <YAxis tick={axisTick} domain={[0, Math.max(e.capacity, 1)]} allowDecimals />
                      <Tooltip contentStyle={tooltipStyle} />
                      <Legend wrapperStyle={legendStyle} formatter={legendLabel} />
                      <ReferenceLine
                        y={e.capacity}
                        stroke={chartColors.warning}
                        strokeDasharray="4 3"
                        label={{
                          value: "capacity",
                          fill: "var(--color-muted)",
                          fontSize: 11,
                          position: "insideTopRight",
                        }}
                      />
                      <Area
                        dataKey="slots"
                        name="Slots in use"
                        stroke={chartColors.primary}
                        fill={chartColors.primary}
                        fillOpacity={0.3}
                        isAnimationActive={false}
                      />
                    </AreaChart>
                  </ResponsiveContainer>
                }
                table={
                  <table className="w-full text-left tabular-nums" data-chart-table={`slots-${e.endpoint}`}>
                    <caption className="sr-only">
                      Slots in use and turns started on {e.endpoint} {per}, capacity {e.capacity}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{timeHead}</th>
                        <th scope="col">Slots in use</th>
                        <th scope="col">Capacity</th>
                        <th scope="col">Turns started</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((m) => (
                        <tr key={m.at}>
                          <th scope="row" className="font-normal">
                            {m.label}
                          </th>
                          <td>{m.slots.toFixed(2)}</td>
                          <td>{e.capacity}</td>
                          <td>{m.turnsStarted}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                }
              />,
              <WaitChart
                key={`waits-${e.endpoint}`}
                name={`waits-${e.endpoint}`}
                title={`Wait before a turn starts on ${e.endpoint}, ${per} (p50 and p95), UTC`}
                caption={`Wait before a turn starts on ${e.endpoint} ${per}: runnable to started, so fair share and rate limits count as well as slots`}
                timeHead={timeHead}
                countHead="Turns started"
                lowName="p50"
                highName="p95"
                rows={waits}
                empty={
                  waits.some((w) => w.count > 0) ? undefined : `No turns started on ${e.endpoint} ${inSpan(data.span)}.`
                }
              />,
            ];
          })}
        </div>
      )}
      {busy.length > 0 && idle.length > 0 ? (
        <p className="text-xs text-muted">
          No turns {inSpan(data.span)} on {idle.map((e) => e.endpoint).join(", ")}.
        </p>
      ) : null}
    </section>
  );
}
