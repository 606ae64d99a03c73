import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { LockView } from "@/lib/memory";
import { shortRun } from "./describe-change";

function seconds(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Agent-level locks: who holds each entity, who waits (FIFO), for how long. */
export function LocksTable({ locks, showRun = true }: { locks: LockView[]; showRun?: boolean }) {
  if (locks.length === 0) return <p className="text-[13px] text-muted">No locks held or awaited.</p>;
  return (
    <Table aria-label="Locks">
      <TableHeader>
        <TableRow>
          <TableHead>Entity</TableHead>
          {showRun ? <TableHead>Run</TableHead> : null}
          <TableHead>Mode</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>For</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {locks.map((l) => (
          <TableRow key={l.seq}>
            <TableCell>
              <code className="font-mono text-xs">{l.entity}</code>
            </TableCell>
            {showRun ? (
              <TableCell>
                <Link
                  className="font-mono text-xs text-accent-text underline-offset-2 hover:underline"
                  href={`/runs/${l.runId}`}
                >
                  {shortRun(l.runId)}
                </Link>{" "}
                <span className="text-xs text-muted">{l.jobId}</span>
              </TableCell>
            ) : null}
            <TableCell className="text-xs">{l.mode}</TableCell>
            <TableCell>
              <Badge tone={l.status === "held" ? "success" : l.status === "waiting" ? "warning" : "danger"}>
                {l.status}
              </Badge>
            </TableCell>
            <TableCell className="text-xs tabular-nums">
              {l.status === "held" ? "held " : l.status === "waiting" ? "waiting " : ""}
              {seconds(l.forMs)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
