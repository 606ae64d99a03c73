"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "@/components/charts/chart-figure";
import { axisTick, chartColors, legendLabel, legendStyle, tooltipStyle } from "@/components/charts/theme";

const margin = { left: 0, right: 8, top: 8, bottom: 0 };
const ms = (v: number | null) => (v === null ? "—" : `${v.toLocaleString("en-US")} ms`);

export interface WaitRow {
  at: string;
  label: string;
  /** Turns started, or waits ended, in the bucket. */
  count: number;
  low: number | null;
  high: number | null;
}

/**
 * Waits per bucket as two lines (p50 and p95, or mean and longest) with the numbers as a table:
 * the wait before turns start on an endpoint, or runs parked for a rate-limited resource.
 */
export function WaitChart(props: {
  title: string;
  caption: string;
  /** data-chart-table, for tests and copy-paste. */
  name: string;
  timeHead: string;
  countHead: string;
  lowName: string;
  highName: string;
  rows: WaitRow[];
  empty?: string;
}) {
  return (
    <ChartFigure
      title={props.title}
      empty={props.empty}
      chart={
        <ResponsiveContainer>
          <LineChart accessibilityLayer={false} data={props.rows} margin={margin}>
            <CartesianGrid stroke={chartColors.grid} vertical={false} />
            <XAxis dataKey="label" tick={axisTick} minTickGap={16} />
            <YAxis tick={axisTick} unit=" ms" />
            <Tooltip contentStyle={tooltipStyle} />
            <Legend wrapperStyle={legendStyle} formatter={legendLabel} />
            <Line
              dataKey="low"
              name={props.lowName}
              stroke={chartColors.secondary}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="high"
              name={props.highName}
              stroke={chartColors.warning}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      }
      table={
        <table className="w-full text-left tabular-nums" data-chart-table={props.name}>
          <caption className="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{props.timeHead}</th>
              <th scope="col">{props.countHead}</th>
              <th scope="col">{props.lowName}</th>
              <th scope="col">{props.highName}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((w) => (
              <tr key={w.at}>
                <th scope="row" className="font-normal">
                  {w.label}
                </th>
                <td>{w.count.toLocaleString("en-US")}</td>
                <td>{ms(w.low)}</td>
                <td>{ms(w.high)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
