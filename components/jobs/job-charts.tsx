"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "@/components/charts/chart-figure";
import { bucketHeading, bucketLabel, perBucket } from "@/components/charts/describe";
import { axisTick, chartColors, legendLabel, legendStyle, tooltipStyle } from "@/components/charts/theme";
import { formatDuration } from "@/components/runs/duration";
import type { DurationBucket, RunSeries } from "@/lib/board";

const margin = { left: 0, right: 8, top: 8, bottom: 0 };
const n = (v: number) => v.toLocaleString("en-US");

/** 500 → "500 ms", 2_000 → "2 s", 120_000 → "2 min", 3_600_000 → "1 h": the histogram's bounds. */
function bound(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1_000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  return `${ms / 3_600_000} h`;
}

function rangeLabel(b: DurationBucket): string {
  return b.toMs === null ? `${bound(b.fromMs)} or more` : `${bound(b.fromMs)} – ${bound(b.toMs)}`;
}

function shortRange(b: DurationBucket): string {
  return b.toMs === null ? `≥${bound(b.fromMs)}` : `<${bound(b.toMs)}`;
}

/** A job's page: runs over time by outcome, how long finished runs took, and tokens spent over time. */
export function JobCharts({ series, durations }: { series: RunSeries; durations: DurationBucket[] }) {
  const per = perBucket(series);
  const rows = series.buckets.map((b) => ({ ...b, label: bucketLabel(b.at, series.bucket) }));
  const histogram = durations.map((b) => ({ ...b, label: shortRange(b) }));
  const finished = durations.reduce((s, b) => s + b.succeeded + b.failed, 0);
  const tokens = series.buckets.reduce((s, b) => s + b.tokens, 0);
  const timeHead = bucketHeading[series.bucket];

  return (
    <div className="grid gap-6 lg:grid-cols-2" data-job-charts>
      <ChartFigure
        className="lg:col-span-2"
        title={`Runs ${per} (UTC), by outcome`}
        chart={
          <ResponsiveContainer>
            <BarChart accessibilityLayer={false} data={rows} margin={margin}>
              <CartesianGrid stroke={chartColors.grid} vertical={false} />
              <XAxis dataKey="label" tick={axisTick} minTickGap={12} />
              <YAxis tick={axisTick} allowDecimals={false} />
              <Tooltip contentStyle={tooltipStyle} cursor={{ fill: "var(--color-surface-muted)" }} />
              <Legend wrapperStyle={legendStyle} formatter={legendLabel} />
              <Bar
                dataKey="succeeded"
                name="Succeeded"
                stackId="r"
                fill={chartColors.succeeded}
                isAnimationActive={false}
              />
              <Bar
                dataKey="failed"
                name="Failed or timed out"
                stackId="r"
                fill={chartColors.failed}
                isAnimationActive={false}
              />
              <Bar
                dataKey="other"
                name="Cancelled or active"
                stackId="r"
                fill={chartColors.other}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table className="w-full text-left tabular-nums" data-chart-table="runs">
            <caption className="sr-only">Runs {per} by outcome</caption>
            <thead>
              <tr>
                <th scope="col">{timeHead}</th>
                <th scope="col">Runs</th>
                <th scope="col">Succeeded</th>
                <th scope="col">Failed or timed out</th>
                <th scope="col">Cancelled or active</th>
                <th scope="col">Median duration (succeeded)</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.at}>
                  <th scope="row" className="font-normal">
                    {r.label}
                  </th>
                  <td>{n(r.runs)}</td>
                  <td>{n(r.succeeded)}</td>
                  <td>{n(r.failed)}</td>
                  <td>{n(r.other)}</td>
                  <td>{formatDuration(r.p50Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <ChartFigure
        title={`Duration of finished runs, start to finish, ${series.span}`}
        empty={finished === 0 ? "No finished runs in this window." : undefined}
        chart={
          <ResponsiveContainer>
            <BarChart accessibilityLayer={false} data={histogram} margin={margin}>
              <CartesianGrid stroke={chartColors.grid} vertical={false} />
              <XAxis dataKey="label" tick={axisTick} interval={0} angle={-30} textAnchor="end" height={44} />
              <YAxis tick={axisTick} allowDecimals={false} />
              <Tooltip contentStyle={tooltipStyle} cursor={{ fill: "var(--color-surface-muted)" }} />
              <Legend wrapperStyle={legendStyle} formatter={legendLabel} />
              <Bar
                dataKey="succeeded"
                name="Succeeded"
                stackId="d"
                fill={chartColors.succeeded}
                isAnimationActive={false}
              />
              <Bar
                dataKey="failed"
                name="Failed or timed out"
                stackId="d"
                fill={chartColors.failed}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table className="w-full text-left tabular-nums" data-chart-table="durations">
            <caption className="sr-only">Finished runs per duration range</caption>
            <thead>
              <tr>
                <th scope="col">Duration</th>
                <th scope="col">Succeeded</th>
                <th scope="col">Failed or timed out</th>
              </tr>
            </thead>
            <tbody>
              {histogram.map((b) => (
                <tr key={b.fromMs}>
                  <th scope="row" className="font-normal">
                    {rangeLabel(b)}
                  </th>
                  <td>{n(b.succeeded)}</td>
                  <td>{n(b.failed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <ChartFigure
        title={`Tokens spent ${per} (UTC)`}
        empty={tokens === 0 ? "No tokens spent in this window." : undefined}
        chart={
          <ResponsiveContainer>
            <BarChart accessibilityLayer={false} data={rows} margin={margin}>
              <CartesianGrid stroke={chartColors.grid} vertical={false} />
              <XAxis dataKey="label" tick={axisTick} minTickGap={12} />
              <YAxis tick={axisTick} tickFormatter={(v: number) => n(v)} />
              <Tooltip
                contentStyle={tooltipStyle}
                cursor={{ fill: "var(--color-surface-muted)" }}
                formatter={(v) => n(Number(v))}
              />
              <Bar dataKey="tokens" name="Tokens" fill={chartColors.primary} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table className="w-full text-left tabular-nums" data-chart-table="tokens">
            <caption className="sr-only">Tokens spent {per}</caption>
            <thead>
              <tr>
                <th scope="col">{timeHead}</th>
                <th scope="col">Tokens</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.at}>
                  <th scope="row" className="font-normal">
                    {r.label}
                  </th>
                  <td>{n(r.tokens)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </div>
  );
}
