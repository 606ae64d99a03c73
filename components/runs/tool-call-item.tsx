import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ToolCallRow } from "@/lib/tools";
import { formatDuration } from "./duration";
import { JsonBlock } from "./json-block";

const statusTone: Record<ToolCallRow["status"], BadgeTone> = {
  started: "info",
  succeeded: "success",
  failed: "danger",
  refused: "warning",
  awaiting_approval: "violet",
  awaiting_signal: "violet",
};

const statusLabel: Record<ToolCallRow["status"], string> = {
  started: "Started",
  succeeded: "Succeeded",
  failed: "Failed",
  refused: "Refused",
  awaiting_approval: "Awaiting approval",
  awaiting_signal: "Awaiting signal",
};

/** One tool call as the wrapper recorded it: redacted input and output, duration, outcome. */
export function ToolCallItem({ call }: { call: ToolCallRow }) {
  return (
    <li className="rounded-md border border-border bg-surface">
      <details className="group">
        <summary className="flex cursor-pointer list-none items-center gap-2 px-2.5 py-2 text-[13px] marker:hidden [&::-webkit-details-marker]:hidden">
          <span aria-hidden className="text-muted transition-transform group-open:rotate-90">
            ›
          </span>
          <code className="font-mono text-xs font-medium text-foreground">{call.tool}</code>
          <Badge tone={statusTone[call.status]}>{statusLabel[call.status]}</Badge>
          {call.error ? (
            <span className="min-w-0 truncate text-xs text-danger-text" title={call.error}>
              {call.error}
            </span>
          ) : null}
          <span className="ml-auto shrink-0 text-xs text-muted tabular-nums">{formatDuration(call.durationMs)}</span>
        </summary>
        <div className="grid gap-2 border-t border-border p-2.5 md:grid-cols-2">
          <div className="flex min-w-0 flex-col gap-1">
            <span className="text-[11px] font-medium text-muted uppercase">Input (secrets redacted)</span>
            <JsonBlock value={call.input ?? null} label={`Input of ${call.tool}`} className="max-h-56" />
          </div>
          <div className="flex min-w-0 flex-col gap-1">
            <span className="text-[11px] font-medium text-muted uppercase">Output</span>
            <JsonBlock
              value={call.output ?? call.error ?? null}
              label={`Output of ${call.tool}`}
              className="max-h-56"
            />
          </div>
          <p className="text-[11px] text-muted md:col-span-2">
            Idempotency key <code className="font-mono">{call.key}</code>
            {call.approvalId ? (
              <>
                {" "}
                · approval <code className="font-mono">{call.approvalId}</code>
              </>
            ) : null}
          </p>
        </div>
      </details>
    </li>
  );
}
