import { ScrollText } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AuditEvent } from "@/lib/audit";

function summary(payload: Record<string, unknown>): string {
  const { jobId: _job, ...rest } = payload;
  const text = JSON.stringify(rest);
  return text === "{}" ? "" : text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** The run's own audit trail (subject = this run), newest first. */
export function RunAuditTable({ events, more, runId }: { events: AuditEvent[]; more: boolean; runId: string }) {
  if (events.length === 0) {
    return (
      <EmptyState
        icon={ScrollText}
        headingLevel="h3"
        title="No audit events"
        description="Every change to this run will be recorded here."
      />
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">When</TableHead>
            <TableHead scope="col">Action</TableHead>
            <TableHead scope="col">Actor</TableHead>
            <TableHead scope="col">Details</TableHead>
            <TableHead scope="col" className="text-right">
              Seq
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((event) => (
            <TableRow key={event.id}>
              <TableCell className="text-muted">
                <RelativeTime date={event.ts} />
              </TableCell>
              <TableCell>
                <code className="font-mono text-xs">{event.action}</code>
              </TableCell>
              <TableCell className="max-w-48 truncate" title={`${event.actor.label} (${event.actor.kind})`}>
                {event.actor.label} <span className="text-muted">({event.actor.kind})</span>
              </TableCell>
              <TableCell
                className="max-w-96 truncate font-mono text-[11px] text-muted"
                title={JSON.stringify(event.payload)}
              >
                {summary(event.payload)}
              </TableCell>
              <TableCell className="text-right font-mono text-[11px] text-muted tabular-nums">
                {event.seq ?? "sealing…"}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {more ? (
        <p className="text-xs text-muted">
          Showing the newest {events.length} events.{" "}
          <Link
            href={`/audit?subjectType=run&subjectId=${encodeURIComponent(runId)}`}
            className="text-accent-text hover:underline"
          >
            See all in the audit explorer
          </Link>
        </p>
      ) : null}
    </div>
  );
}
