import { describeSeries, perBucket } from "@/components/charts/describe";
import { Sparkline } from "@/components/charts/sparkline";
import { chartColors } from "@/components/charts/theme";
import { formatDuration } from "@/components/runs/duration";
import type { RunSeries } from "@/lib/board";

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** Three tiny charts for a Jobs table row: runs, success rate and median duration per bucket. */
export function RunSparklines({ series }: { series: RunSeries }) {
  const { bucket: unit, buckets } = series;
  if (buckets.every((b) => b.runs === 0)) return null;
  const volume = buckets.map((b) => ({ at: b.at, value: b.runs }));
  const rate = buckets.map((b) => ({
    at: b.at,
    value: b.succeeded + b.failed > 0 ? b.succeeded / (b.succeeded + b.failed) : null,
  }));
  const duration = buckets.map((b) => ({ at: b.at, value: b.p50Ms }));
  const items = [
    {
      name: "runs",
      el: <Sparkline points={volume} label={describeSeries(`Runs ${perBucket(series)} (UTC)`, volume, unit, String)} />,
    },
    {
      name: "success",
      el: (
        <Sparkline
          kind="line"
          color={chartColors.succeeded}
          domain={[0, 1]}
          points={rate}
          label={describeSeries(`Success rate ${perBucket(series)} (UTC)`, rate, unit, pct)}
        />
      ),
    },
    {
      name: "duration",
      el: (
        <Sparkline
          kind="line"
          color={chartColors.secondary}
          points={duration}
          label={describeSeries(
            `Median duration of succeeded runs ${perBucket(series)} (UTC)`,
            duration,
            unit,
            formatDuration,
          )}
        />
      ),
    },
  ];
  return (
    <span className="mt-1.5 flex gap-2" data-sparklines>
      {items.map((item) => (
        <span key={item.name} className="flex flex-col items-start gap-0.5">
          {item.el}
          <span aria-hidden className="text-[10px] leading-none text-muted">
            {item.name}
          </span>
        </span>
      ))}
    </span>
  );
}
