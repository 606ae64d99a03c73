import { SquareKanban } from "lucide-react";
import Link from "next/link";
import { durationBetween, formatDuration } from "@/components/runs/duration";
import { shortId } from "@/components/runs/run-status-line";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { RunStateBadge } from "@/components/ui/run-state-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RunState } from "@/db/schema/runs";

export type RecentRun = {
  id: string;
  state: RunState;
  triggerKind: string;
  actorLabel: string;
  turnsUsed: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export function RecentRuns({ runs, jobId }: { runs: RecentRun[]; jobId: string }) {
  if (runs.length === 0) {
    return (
      <EmptyState
        icon={SquareKanban}
        headingLevel="h3"
        title="No runs yet"
        description="Runs of this job will be listed here."
        className="py-8"
      />
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Run</TableHead>
            <TableHead scope="col">State</TableHead>
            <TableHead scope="col">Trigger</TableHead>
            <TableHead scope="col">Started by</TableHead>
            <TableHead scope="col">Turns</TableHead>
            <TableHead scope="col">Duration</TableHead>
            <TableHead scope="col">Created</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {runs.map((run) => (
            <TableRow key={run.id}>
              <TableCell>
                <Link href={`/runs/${run.id}`} className="font-mono text-xs text-accent-text hover:underline">
                  {shortId(run.id)}
                </Link>
              </TableCell>
              <TableCell>
                <RunStateBadge state={run.state} />
              </TableCell>
              <TableCell className="text-xs">{run.triggerKind}</TableCell>
              <TableCell className="max-w-48 truncate text-xs" title={run.actorLabel}>
                {run.actorLabel}
              </TableCell>
              <TableCell className="text-xs tabular-nums">{run.turnsUsed}</TableCell>
              <TableCell className="text-xs tabular-nums">
                {run.finishedAt ? formatDuration(durationBetween(run.startedAt ?? run.createdAt, run.finishedAt)) : "—"}
              </TableCell>
              <TableCell className="text-xs text-muted">
                <RelativeTime date={run.createdAt} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Link
        href={`/runs?job=${encodeURIComponent(jobId)}`}
        className="self-start text-xs text-accent-text hover:underline"
      >
        See this job&apos;s runs on the board
      </Link>
    </div>
  );
}
