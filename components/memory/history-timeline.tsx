import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatUtc } from "@/components/ui/format-relative";
import type { HistoryEntry } from "@/lib/memory";
import { describeChange, shortRun } from "./describe-change";
import { RevertButton } from "./revert-button";

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** "under whose authority": the approval of this very call if a lead gave one, else the job's recorded authorization. */
export function authorityOf(entry: HistoryEntry): string {
  const a = entry.authorization;
  const approval = a.approval as { decidedBy?: unknown; status?: unknown } | undefined;
  if (approval && text(approval.decidedBy)) return `approved by ${String(approval.decidedBy)}`;
  if (entry.kind === "revert") return `as ${text(a.role) ?? "?"} (${text(a.via) ?? "?"})`;
  const by = text(a.authorizedBy);
  return by
    ? `under the job's authorization by ${by}${text(a.authorizedAt) ? ` (${String(a.authorizedAt)})` : ""}`
    : "under the job's governance";
}

/**
 * An entity's history as sentences, newest first: "run 3f2a… of triage-ticket set priority
 * "high", approved by lead@… at 10:42" — with links to the run and, for leads, an undo.
 */
export function HistoryTimeline({ history, canRevert }: { history: HistoryEntry[]; canRevert: boolean }) {
  if (history.length === 0) return <p className="text-[13px] text-muted">No writes yet.</p>;
  return (
    <ol className="flex flex-col gap-3" aria-label="History">
      {history.map((h) => (
        <li key={h.version} className="rounded-lg border border-border bg-surface p-3 text-[13px]">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={h.kind === "revert" ? "warning" : "neutral"}>v{h.version}</Badge>
            {h.kind === "revert" ? (
              <span>
                <span className="font-medium">{h.actor.label}</span> reverted the writes of run{" "}
                {h.revertsRun ? (
                  <Link
                    className="font-mono text-accent-text underline-offset-2 hover:underline"
                    href={`/runs/${h.revertsRun}`}
                  >
                    {shortRun(h.revertsRun)}
                  </Link>
                ) : null}
                : {describeChange(h.before, h.after).join(", ")}, {authorityOf(h)} at {formatUtc(h.at)}
              </span>
            ) : (
              <span>
                run{" "}
                {h.runId ? (
                  <Link
                    className="font-mono text-accent-text underline-offset-2 hover:underline"
                    href={`/runs/${h.runId}`}
                  >
                    {shortRun(h.runId)}
                  </Link>
                ) : null}{" "}
                of <span className="font-medium">{h.jobId}</span> {describeChange(h.before, h.after).join(", ")},{" "}
                {authorityOf(h)} at {formatUtc(h.at)}
              </span>
            )}
            {canRevert && h.kind === "write" && h.runId ? (
              <span className="ml-auto">
                <RevertButton runId={h.runId} label="Undo" />
              </span>
            ) : null}
          </div>
          {h.kind === "write" ? (
            <p className="mt-1 text-xs text-muted">
              turn {h.turnIndex ?? "?"}, call {h.callIndex ?? "?"} (<code className="font-mono">{h.toolCallKey}</code>),
              job version <code className="font-mono">{(h.jobVersion ?? "").slice(0, 12)}</code>
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
