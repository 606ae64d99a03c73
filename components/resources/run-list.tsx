import Link from "next/link";
import { shortId } from "@/components/runs/run-status-line";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ResourceRun } from "@/lib/board";

const ROWS = 4;

/** A fixed-height list (four runs and a "more" line) so live updates never move what is below it. */
export function ResourceRunList({
  title,
  runs,
  total,
  empty,
  jobTitle,
}: {
  title: string;
  runs: ResourceRun[];
  total: number;
  empty: string;
  jobTitle: (id: string) => string;
}) {
  const shown = runs.slice(0, ROWS);
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-xs font-medium text-muted">
        {title} <span className="tabular-nums">({total})</span>
      </h3>
      <ul className="flex h-[9.25rem] flex-col gap-0.5 overflow-hidden">
        {shown.length === 0 ? <li className="flex h-7 items-center text-xs text-muted">{empty}</li> : null}
        {shown.map((run) => (
          <li key={run.id} className="flex h-7 items-center gap-2 text-xs">
            <Link href={`/runs/${run.id}`} className="font-mono text-accent-text hover:underline">
              {shortId(run.id)}
            </Link>
            <span className="min-w-0 flex-1 truncate" title={jobTitle(run.jobId)}>
              {jobTitle(run.jobId)}
            </span>
            <RelativeTime date={run.since} className="text-muted" />
          </li>
        ))}
        {total > ROWS ? (
          <li className="flex h-7 items-center text-xs text-muted">+ {total - shown.length} more</li>
        ) : null}
      </ul>
    </div>
  );
}
