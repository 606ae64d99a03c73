import { CalendarClock, Hand, Radio, TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TriggerSummary } from "@/lib/jobs";
import { cronInWords } from "./cron-words";

/** Triggers in one dense line each: cron with its next fire time, signal name, manual. */
export function TriggerSummaryList({ triggers, missedTicks }: { triggers: TriggerSummary[]; missedTicks: number }) {
  return (
    <ul className="flex flex-col gap-1 text-xs">
      {triggers.map((t, i) => (
        <li key={i} className="flex items-center gap-1.5 whitespace-nowrap">
          {t.kind === "schedule" ? (
            <>
              <CalendarClock aria-hidden className="size-3.5 shrink-0 text-muted" />
              <span title={`${t.cron} (${t.timezone})`} data-cron={t.cron}>
                {cronInWords(t.cron)}
              </span>
              {t.nextFireAt ? (
                <span className="text-muted">
                  next <RelativeTime date={t.nextFireAt} />
                </span>
              ) : null}
            </>
          ) : t.kind === "signal" ? (
            <>
              <Radio aria-hidden className="size-3.5 shrink-0 text-muted" />
              <span>
                signal <code className="font-mono">{t.name}</code>
              </span>
            </>
          ) : (
            <>
              <Hand aria-hidden className="size-3.5 shrink-0 text-muted" />
              <span>manual</span>
            </>
          )}
        </li>
      ))}
      {missedTicks > 0 ? (
        <li>
          <Badge tone="warning" title="Cron ticks that passed while nothing was running; recorded, not replayed">
            <TriangleAlert aria-hidden className="size-3" />
            {missedTicks} missed {missedTicks === 1 ? "tick" : "ticks"}
          </Badge>
        </li>
      ) : null}
    </ul>
  );
}

export const oversightShort: Record<string, string> = {
  none: "None",
  "approve-tools": "Approve tools",
  "approve-run": "Approve run",
};
