import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import type { RunRecord } from "@/lib/board";
import { traceIdOf } from "@/lib/telemetry";
import { durationBetween, formatDuration } from "./duration";
import { DefinitionList } from "./governance-list";
import { shortId } from "./run-status-line";

const triggerLabels: Record<string, string> = {
  schedule: "Schedule (cron tick)",
  signal: "Signal",
  manual: "Manual (Run now / API)",
  retry: "Retry",
};

function Time({ value }: { value: Date | null }) {
  return value ? <RelativeTime date={value} /> : <span className="text-muted">—</span>;
}

/** Before the run ends: when the deadline falls. After: whether the run met it — a past deadline is no countdown. */
function Deadline({ deadline, finishedAt }: { deadline: Date; finishedAt: Date | null }) {
  if (!finishedAt) return <Time value={deadline} />;
  const spare = new Date(deadline).getTime() - new Date(finishedAt).getTime();
  return (
    <span data-deadline={spare >= 0 ? "met" : "missed"} title={new Date(deadline).toISOString()}>
      {spare >= 0 ? `Met, ${formatDuration(spare)} to spare` : `Missed by ${formatDuration(-spare)}`}
    </span>
  );
}

/** Who or what started the run, on which job version, and what it has used so far. */
export function RunSummary({
  run,
  jobTitle,
  retries,
  queuePosition = null,
  traceUrl = null,
}: {
  run: RunRecord;
  jobTitle: string;
  retries: { id: string; state: string }[];
  /** For a runnable run: its place in the arbitration order ("3rd for default; key acme is over its share"). */
  queuePosition?: string | null;
  /** FLIGHTDECK_TRACE_URL: where a trace id opens in the team's tracing UI ({traceId} is replaced). */
  traceUrl?: string | null;
}) {
  const elapsed = durationBetween(run.startedAt ?? run.createdAt, run.finishedAt ?? null);
  const traceId = traceIdOf(run.traceParent);
  return (
    <DefinitionList
      rows={[
        {
          term: "Job",
          value: (
            <span className="flex flex-col">
              <Link href={`/jobs/${run.jobId}`} className="font-medium text-accent-text hover:underline">
                {jobTitle}
              </Link>
              <span className="font-mono text-[11px] text-muted" title={run.jobVersion}>
                version {run.jobVersion.slice(0, 12)}
              </span>
            </span>
          ),
        },
        {
          term: "Trigger",
          value: (
            <span className="flex flex-col">
              <span>{triggerLabels[run.triggerKind] ?? run.triggerKind}</span>
              {run.triggerRef ? (
                <span className="font-mono text-[11px] break-all text-muted">{run.triggerRef}</span>
              ) : null}
            </span>
          ),
        },
        {
          term: "Started by",
          value: (
            <span>
              {run.actorLabel} <span className="text-muted">({run.actorKind})</span>
            </span>
          ),
        },
        ...(run.retryOf
          ? [
              {
                term: "Retry of",
                value: (
                  <Link href={`/runs/${run.retryOf}`} className="font-mono text-accent-text hover:underline">
                    {shortId(run.retryOf)}
                  </Link>
                ),
              },
            ]
          : []),
        ...(retries.length > 0
          ? [
              {
                term: "Retried as",
                value: (
                  <span className="flex flex-col">
                    {retries.map((r) => (
                      <Link key={r.id} href={`/runs/${r.id}`} className="font-mono text-accent-text hover:underline">
                        {shortId(r.id)} <span className="font-sans text-xs text-muted">({r.state})</span>
                      </Link>
                    ))}
                  </span>
                ),
              },
            ]
          : []),
        { term: "Created", value: <Time value={run.createdAt} /> },
        { term: "Started", value: <Time value={run.startedAt} /> },
        { term: "Finished", value: <Time value={run.finishedAt} /> },
        {
          term: "Duration",
          value: elapsed !== null && run.finishedAt ? formatDuration(elapsed) : run.startedAt ? "In progress" : "—",
        },
        { term: "Turns", value: `${run.turnsUsed} of ${run.budgetTurns}` },
        {
          term: "Tokens",
          value: `${run.tokensUsed.toLocaleString("en-US")} of ${run.budgetTokens.toLocaleString("en-US")}`,
        },
        { term: "Wall clock", value: `budget ${formatDuration(run.budgetWallClockMs)}` },
        { term: "Attempt", value: String(run.attempt) },
        { term: "Model endpoint", value: <code className="font-mono text-xs">{run.modelEndpoint}</code> },
        { term: "Fair-share key", value: <span data-fair-key>{run.fairGroup}</span> },
        { term: "Priority class", value: String(run.priority) },
        ...(run.stateReason?.startsWith("resource") || queuePosition
          ? [
              {
                term: "Waiting for",
                value: (
                  <span className="flex flex-col" data-queue-position>
                    <span>
                      {run.stateReason === "resource"
                        ? `resource:${run.waitingFor ?? "?"}`
                        : (run.stateReason ?? "its next turn")}
                    </span>
                    {queuePosition ? <span className="text-xs text-muted">{queuePosition}</span> : null}
                  </span>
                ),
              },
            ]
          : []),
        ...(run.deadline
          ? [{ term: "Deadline", value: <Deadline deadline={run.deadline} finishedAt={run.finishedAt} /> }]
          : []),
        ...(traceId
          ? [
              {
                term: "Trace",
                value: traceUrl ? (
                  <a
                    className="font-mono text-xs text-accent-text hover:underline"
                    href={traceUrl.replace("{traceId}", traceId)}
                    data-trace-id={traceId}
                  >
                    {traceId}
                  </a>
                ) : (
                  <code className="font-mono text-xs break-all" data-trace-id={traceId}>
                    {traceId}
                  </code>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
