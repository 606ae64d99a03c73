import { BellRing } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { NotificationRecord } from "@/lib/board";

const tones: Record<NotificationRecord["level"], BadgeTone> = { info: "info", warning: "warning", critical: "danger" };

/** What the run told operators through its notify tool (stored redacted). */
export function RunNotifications({ notifications }: { notifications: NotificationRecord[] }) {
  if (notifications.length === 0) return null;
  return (
    <section aria-labelledby="run-notifications" className="flex flex-col gap-2">
      <h2 id="run-notifications" className="flex items-center gap-1.5 text-sm font-semibold">
        <BellRing aria-hidden className="size-4 text-muted" />
        Messages for operators
      </h2>
      <ul className="flex flex-col gap-2">
        {notifications.map((n) => (
          <li key={n.id} className="rounded-lg border border-border bg-surface p-3">
            <div className="flex items-center gap-2 text-[13px]">
              <Badge tone={tones[n.level]}>{n.level}</Badge>
              <span className="font-medium">{n.title}</span>
              <RelativeTime date={n.createdAt} className="ml-auto text-xs text-muted" />
            </div>
            <p className="mt-1.5 text-[13px] whitespace-pre-wrap text-foreground">{n.message}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
