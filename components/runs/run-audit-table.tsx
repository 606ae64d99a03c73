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

/** "2026-12-06 03:20:44.378 UTC": absolute and unambiguous on the server and in every viewer's zone. */
function utc(iso: string): string {
  return `${new Date(iso).toISOString().replace("T", " ").replace("Z", "")} UTC`;
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
            <TableHead scope="col">Seq</TableHead>
            <TableHead scope="col">When (UTC)</TableHead>
            <TableHead scope="col">Action</TableHead>
            <TableHead scope="col">Actor</TableHead>
            <TableHead scope="col">Details</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((event) => (
            <TableRow key={event.id}>
              <TableCell className="font-mono text-[11px] whitespace-nowrap tabular-nums">
                {event.seq ? (
                  <Link
                    href={`/audit?q=${encodeURIComponent(`run:${runId}`)}&seq=${event.seq}`}
                    className="text-accent-text hover:underline"
                    aria-label={`Audit event ${event.seq}: open it with its proof`}
                  >
                    {event.seq}
                  </Link>
                ) : (
                  <span className="text-muted">sealing…</span>
                )}
              </TableCell>
              <TableCell className="whitespace-nowrap">
                <time dateTime={event.ts} className="block font-mono text-[11px] tabular-nums" data-audit-time>
                  {utc(event.ts)}
                </time>
                <RelativeTime date={event.ts} className="text-[11px] text-muted" />
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
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {more ? (
        <p className="text-xs text-muted">
          Showing the newest {events.length} events.{" "}
          <Link href={`/audit?q=${encodeURIComponent(`run:${runId}`)}`} className="text-accent-text hover:underline">
            See all in the audit explorer
          </Link>
        </p>
      ) : null}
    </div>
  );
}
