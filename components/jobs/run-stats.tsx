import { formatDuration } from "@/components/runs/duration";
import type { JobRunStats } from "@/lib/board";

export function successRateText(stats: JobRunStats): string {
  return stats.successRate === null ? "—" : `${Math.round(stats.successRate * 100)}%`;
}

/** "12 runs · 92% · 1.4 s" in a table cell. */
export function RunStatsCell({ stats }: { stats: JobRunStats }) {
  if (stats.runs === 0) return <span className="text-xs text-muted">No runs</span>;
  return (
    <span className="flex flex-col text-xs tabular-nums">
      <span className="text-foreground">
        {stats.runs.toLocaleString("en-US")} {stats.runs === 1 ? "run" : "runs"}
        {stats.active > 0 ? <span className="text-muted"> · {stats.active} active</span> : null}
      </span>
      <span className="text-muted">
        <span title="Succeeded of finished (failed and timed-out count against it; cancellations do not)">
          {successRateText(stats)} success
        </span>
        {" · "}
        <span title="Median duration of succeeded runs">{formatDuration(stats.medianDurationMs)} median</span>
      </span>
    </span>
  );
}
