import Link from "next/link";
import { Send } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { DeliveryLog, DeliveryStatus } from "@/lib/webhooks";
import { cn } from "@/lib/utils";
import { RedeliverButton } from "./redeliver-button";

const tone: Record<DeliveryStatus, BadgeTone> = {
  pending: "neutral",
  retrying: "warning",
  delivered: "success",
  failed: "danger",
};
const statuses: DeliveryStatus[] = ["pending", "retrying", "delivered", "failed"];

function href(status: DeliveryStatus | null, before?: number): string {
  const params = new URLSearchParams();
  if (status) params.set("status", status);
  if (before) params.set("before", String(before));
  const query = params.toString();
  return query ? `/settings/webhooks?${query}` : "/settings/webhooks";
}

export function WebhookDeliveries({
  log,
  status,
  canManage,
  target,
  events,
}: {
  log: DeliveryLog;
  status: DeliveryStatus | null;
  canManage: boolean;
  /** The receiver's origin (the path and any secret in it are not shown), or null when webhooks are off. */
  target: string | null;
  events: string[] | null;
}) {
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted" data-testid="webhook-target">
        {target ? (
          <>
            Sending to <code className="font-mono text-xs text-foreground">{target}</code> ·{" "}
            {events ? events.join(", ") : "every message type"}
          </>
        ) : (
          <>
            Webhooks are off: set <code className="font-mono text-xs">FLIGHTDECK_WEBHOOK_URL</code> and{" "}
            <code className="font-mono text-xs">FLIGHTDECK_WEBHOOK_SECRET</code> to send messages.
          </>
        )}
      </p>
      <nav aria-label="Filter by status" className="flex flex-wrap gap-1.5 text-xs">
        <FilterLink active={status === null} href={href(null)}>
          All
        </FilterLink>
        {statuses.map((s) => (
          <FilterLink key={s} active={status === s} href={href(s)}>
            {s} ({log.counts[s].toLocaleString()})
          </FilterLink>
        ))}
      </nav>
      {log.deliveries.length === 0 ? (
        <EmptyState
          icon={Send}
          title={status ? `No ${status} messages` : "No messages yet"}
          description="Failed runs, runs waiting for an approval and flashcards are sent here as they happen."
        />
      ) : (
        <Table aria-label="Webhook deliveries, newest first">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Queued</TableHead>
              <TableHead scope="col">Type</TableHead>
              <TableHead scope="col">Message</TableHead>
              <TableHead scope="col">Status</TableHead>
              <TableHead scope="col">Tries</TableHead>
              <TableHead scope="col">Last error</TableHead>
              {canManage ? (
                <TableHead scope="col">
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {log.deliveries.map((d) => (
              <TableRow key={d.id} data-delivery={d.id}>
                <TableCell className="whitespace-nowrap">
                  <RelativeTime date={d.createdAt} />
                </TableCell>
                <TableCell className="font-mono text-xs">{d.type}</TableCell>
                <TableCell className="max-w-[36rem] truncate text-xs" title={d.text}>
                  {d.text}
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  <Badge tone={tone[d.status]}>{d.status}</Badge>
                  {d.deliveredAt ? <RelativeTime date={d.deliveredAt} className="ml-1 text-xs text-muted" /> : null}
                  {d.nextAttemptAt && d.status === "retrying" ? (
                    <span className="ml-1 text-xs text-muted">
                      next <RelativeTime date={d.nextAttemptAt} />
                    </span>
                  ) : null}
                </TableCell>
                <TableCell className="tabular-nums">
                  {d.attempts} of {d.maxAttempts}
                </TableCell>
                <TableCell className="max-w-[16rem] truncate text-xs text-muted" title={d.lastError ?? undefined}>
                  {d.lastError ?? "—"}
                </TableCell>
                {canManage ? (
                  <TableCell className="text-right">
                    {d.status === "failed" ? <RedeliverButton id={d.id} type={d.type} /> : null}
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {log.nextBefore ? (
        <Link className="self-start text-sm text-accent-text hover:underline" href={href(status, log.nextBefore)}>
          Older messages
        </Link>
      ) : null}
    </div>
  );
}

function FilterLink({ active, href, children }: { active: boolean; href: string; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-md border border-border px-2 py-1 capitalize",
        active ? "bg-surface-muted font-medium text-foreground" : "text-muted hover:text-foreground",
      )}
    >
      {children}
    </Link>
  );
}
