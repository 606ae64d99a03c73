import { CalendarClock, Hand, Radio } from "lucide-react";
import { JsonBlock } from "@/components/runs/json-block";
import { RelativeTime } from "@/components/ui/relative-time";
import { cronInWords } from "./cron-words";
import type { TriggerSummary } from "@/lib/jobs";
import type { MissedTick } from "@/lib/runtime";

/** Each trigger in full: cron with timezone and next fire time, signal with its payload schema, manual. */
export function JobTriggers({
  triggers,
  missed,
  missedTotal,
}: {
  triggers: TriggerSummary[];
  missed: MissedTick[];
  missedTotal: number;
}) {
  return (
    <div className="flex flex-col gap-2">
      <ul className="flex flex-col divide-y divide-border rounded-lg border border-border bg-surface">
        {triggers.map((t, i) => (
          <li key={i} className="flex flex-col gap-1.5 px-3 py-2.5 text-[13px]">
            {t.kind === "schedule" ? (
              <div className="flex flex-wrap items-center gap-2">
                <CalendarClock aria-hidden className="size-4 text-muted" />
                <span className="font-medium">Schedule</span>
                <span data-cron={t.cron}>{cronInWords(t.cron)}</span>
                <span className="text-xs text-muted">
                  <code className="font-mono">{t.cron}</code> · {t.timezone}
                </span>
                <span className="ml-auto text-xs">
                  {t.nextFireAt ? (
                    <>
                      next fire <RelativeTime date={t.nextFireAt} className="font-medium" />
                    </>
                  ) : (
                    <span className="text-muted">not scheduled</span>
                  )}
                </span>
              </div>
            ) : t.kind === "signal" ? (
              <>
                <div className="flex flex-wrap items-center gap-2">
                  <Radio aria-hidden className="size-4 text-muted" />
                  <span className="font-medium">Signal</span>
                  <code className="font-mono text-xs">POST /api/signals/{t.name}</code>
                </div>
                <details>
                  <summary className="cursor-pointer text-xs text-muted">Payload schema</summary>
                  <JsonBlock value={t.payload} label={`Payload schema of ${t.name}`} className="mt-1.5 max-h-56" />
                </details>
              </>
            ) : (
              <div className="flex items-center gap-2">
                <Hand aria-hidden className="size-4 text-muted" />
                <span className="font-medium">Manual</span>
                <span className="text-xs text-muted">“Run now” here, or POST /api/runs</span>
              </div>
            )}
          </li>
        ))}
      </ul>
      {missedTotal > 0 ? (
        <div className="rounded-lg border border-warning/40 bg-warning-soft/40 px-3 py-2 text-xs">
          <p className="font-medium text-warning-text">
            {missedTotal} cron {missedTotal === 1 ? "tick was" : "ticks were"} missed while nothing was running —
            recorded, not replayed.
          </p>
          <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-muted">
            {missed.map((m) => (
              <li key={m.tickAt}>
                <RelativeTime date={m.tickAt} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
