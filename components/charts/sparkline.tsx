"use client";

import { Bar, BarChart, Line, LineChart, YAxis } from "recharts";
import { chartColors } from "./theme";

export interface SparkPoint {
  at: string;
  value: number | null;
}

/**
 * A tiny inline chart: bars (volume) or a line (rates, durations). The drawing is hidden from
 * assistive technology; `label` states the figures instead (role img).
 */
export function Sparkline({
  points,
  label,
  kind = "bar",
  color = chartColors.primary,
  domain,
  width = 84,
  height = 20,
}: {
  points: SparkPoint[];
  label: string;
  kind?: "bar" | "line";
  color?: string;
  domain?: [number, number];
  width?: number;
  height?: number;
}) {
  const margin = { top: 2, right: 1, bottom: 1, left: 1 };
  return (
    <span role="img" aria-label={label} title={label} className="inline-block align-middle leading-none">
      <span aria-hidden className="block border-b border-border-strong">
        {kind === "bar" ? (
          <BarChart accessibilityLayer={false} width={width} height={height} data={points} margin={margin}>
            <YAxis hide domain={domain ?? [0, "auto"]} />
            <Bar dataKey="value" fill={color} isAnimationActive={false} minPointSize={0} />
          </BarChart>
        ) : (
          <LineChart accessibilityLayer={false} width={width} height={height} data={points} margin={margin}>
            <YAxis hide domain={domain ?? [0, "auto"]} />
            <Line
              dataKey="value"
              stroke={color}
              strokeWidth={1.5}
              dot={{ r: 1, fill: color, stroke: color }}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        )}
      </span>
    </span>
  );
}
