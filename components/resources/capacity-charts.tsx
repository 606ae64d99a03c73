"use client";

import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ReactNode } from "react";
import { ChartFigure } from "@/components/charts/chart-figure";
import { bucketHeading, bucketLabel, inSpan, perBucket } from "@/components/charts/describe";
import { axisTick, chartColors, legendLabel, legendStyle, tooltipStyle } from "@/components/charts/theme";
import type { ResourceSeries } from "@/lib/board";

const margin = { left: 0, right: 8, top: 8, bottom: 0 };
const ms = (v: number | null) => (v === null ? "—" : `${v.toLocaleString("en-US")} ms`);

/**
 * Model capacity over the chosen time range: per endpoint, slots held by turns per bucket
 * against its max concurrency; and how long turns waited to start (p50, p95) per bucket.
 */
export function CapacityCharts({ data, picker }: { data: ResourceSeries; picker: ReactNode }) {
  const busy = data.endpoints.filter((e) => e.buckets.some((m) => m.slots > 0 || m.turnsStarted > 0));
  const idle = data.endpoints.filter((e) => !busy.includes(e));
  const waited = data.waits.some((w) => w.turns > 0);
  const label = (at: string) => bucketLabel(at, data.bucket);
  const per = perBucket(data);
  const timeHead = bucketHeading[data.bucket];
  const waitRows = data.waits.map((w) => ({ ...w, label: label(w.at) }));

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
            return (
              <ChartFigure
                key={e.endpoint}
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
              />
            );
          })}
          <ChartFigure
            title={`Wait before a turn starts, ${per} (p50 and p95, all endpoints), UTC`}
            empty={waited ? undefined : `No turns started ${inSpan(data.span)}.`}
            chart={
              <ResponsiveContainer>
                <LineChart accessibilityLayer={false} data={waitRows} margin={margin}>
                  <CartesianGrid stroke={chartColors.grid} vertical={false} />
                  <XAxis dataKey="label" tick={axisTick} minTickGap={16} />
                  <YAxis tick={axisTick} unit=" ms" />
                  <Tooltip contentStyle={tooltipStyle} />
                  <Legend wrapperStyle={legendStyle} formatter={legendLabel} />
                  <Line
                    dataKey="p50Ms"
                    name="p50"
                    stroke={chartColors.secondary}
                    dot={false}
                    isAnimationActive={false}
                  />
                  <Line dataKey="p95Ms" name="p95" stroke={chartColors.warning} dot={false} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            }
            table={
              <table className="w-full text-left tabular-nums" data-chart-table="waits">
                <caption className="sr-only">Wait before a turn starts {per}</caption>
                <thead>
                  <tr>
                    <th scope="col">{timeHead}</th>
                    <th scope="col">Turns started</th>
                    <th scope="col">p50</th>
                    <th scope="col">p95</th>
                  </tr>
                </thead>
                <tbody>
                  {waitRows.map((w) => (
                    <tr key={w.at}>
                      <th scope="row" className="font-normal">
                        {w.label}
                      </th>
                      <td>{w.turns}</td>
                      <td>{ms(w.p50Ms)}</td>
                      <td>{ms(w.p95Ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          />
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
