import { MessagesSquare } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TurnRecord } from "@/lib/board";
import type { ToolCallRow } from "@/lib/tools";
import { durationBetween, formatDuration } from "./duration";
import { ModelMessages } from "./model-messages";
import { ToolCallItem } from "./tool-call-item";

const statusTone: Record<TurnRecord["status"], BadgeTone> = {
  running: "info",
  completed: "success",
  failed: "danger",
  aborted: "warning",
};

export function isSimulated(model: string | null): boolean {
  return model !== null && model.startsWith("simulated");
}

function TurnItem({ turn, calls, last }: { turn: TurnRecord; calls: ToolCallRow[]; last: boolean }) {
  const duration = durationBetween(turn.startedAt, turn.finishedAt);
  return (
    <li className="relative pl-6">
      <span
        aria-hidden
        className="absolute top-2.5 left-[5px] size-2.5 rounded-full border-2 border-surface bg-accent ring-1 ring-accent/40"
      />
      {last ? null : <span aria-hidden className="absolute top-5 bottom-[-1rem] left-[9px] w-px bg-border" />}
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-[13px]">
        <h3 className="font-semibold text-foreground">Turn {turn.index + 1}</h3>
        {turn.attempt > 1 ? <span className="text-xs text-muted">attempt {turn.attempt}</span> : null}
        <Badge tone={statusTone[turn.status]} dot={turn.status === "running" ? "pulse" : true}>
          {turn.status}
        </Badge>
        {turn.model ? <code className="font-mono text-xs text-muted">{turn.model}</code> : null}
        {isSimulated(turn.model) ? <Badge tone="violet">Simulated</Badge> : null}
        <span className="ml-auto flex items-center gap-3 text-xs text-muted tabular-nums">
          <span title="Input / output tokens">
            {turn.inputTokens.toLocaleString("en-US")} in · {turn.outputTokens.toLocaleString("en-US")} out
          </span>
          <span>{turn.finishedAt ? formatDuration(duration) : "in progress"}</span>
          <RelativeTime date={turn.startedAt} />
        </span>
      </div>
      {turn.error ? <p className="mt-1 text-xs text-danger-text">{turn.error}</p> : null}
      <div className="mt-2 grid gap-2 lg:grid-cols-2">
        <details className="min-w-0 rounded-md border border-border bg-surface-muted/30 p-2" open={last}>
          <summary className="cursor-pointer text-xs font-medium text-muted">
            Model input ({turn.messagesIn.length})
          </summary>
          <div className="mt-2">
            <ModelMessages messages={turn.messagesIn} empty="Continues the conversation of the previous turns." />
          </div>
        </details>
        <details className="min-w-0 rounded-md border border-border bg-surface-muted/30 p-2" open={last}>
          <summary className="cursor-pointer text-xs font-medium text-muted">
            Model output ({turn.messagesOut?.length ?? 0})
          </summary>
          <div className="mt-2">
            <ModelMessages
              messages={turn.messagesOut}
              empty={turn.status === "running" ? "Waiting for the model…" : "No output."}
            />
          </div>
        </details>
      </div>
      {calls.length > 0 ? (
        <div className="mt-2">
          <h4 className="mb-1 text-xs font-medium text-muted">Tool calls ({calls.length})</h4>
          <ul className="flex flex-col gap-1.5">
            {calls.map((call) => (
              <ToolCallItem key={call.key} call={call} />
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}

/** Turn by turn: what the model was given, what it answered, each tool call it made. */
export function TurnTimeline({ turns, toolCalls }: { turns: TurnRecord[]; toolCalls: ToolCallRow[] }) {
  if (turns.length === 0) {
    return (
      <EmptyState
        icon={MessagesSquare}
        headingLevel="h3"
        title="No turns yet"
        description="The first turn starts when a worker claims the run. This page updates by itself while the run is active."
      />
    );
  }
  // Tool calls are keyed by turn index; a re-executed turn shows them on its last attempt.
  const lastAttempt = new Map<number, number>();
  for (const t of turns) lastAttempt.set(t.index, Math.max(lastAttempt.get(t.index) ?? 0, t.attempt));
  return (
    <ol className="flex flex-col gap-6">
      {turns.map((turn, i) => (
        <TurnItem
          key={turn.id}
          turn={turn}
          last={i === turns.length - 1}
          calls={
            lastAttempt.get(turn.index) === turn.attempt ? toolCalls.filter((c) => c.turnIndex === turn.index) : []
          }
        />
      ))}
    </ol>
  );
}
