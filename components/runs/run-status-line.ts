import type { BoardRun } from "@/lib/board";

export type StatusTone = "muted" | "info" | "warning" | "danger" | "violet" | "success";

/** One short line saying why a run is where it is: the wait reason, the error, the pending request. */
export function runStatusLine(run: BoardRun): { text: string; tone: StatusTone } {
  if (run.retried) return { text: "Retried", tone: "muted" };
  switch (run.state) {
    case "queued":
      if (run.reason?.startsWith("resource:")) return { text: resourceWait(run), tone: "warning" };
      if (run.reason?.startsWith("version:"))
        return { text: `No worker has job ${run.reason.slice(8)}`, tone: "warning" };
      if (run.retryOf) return { text: `Retry of ${shortId(run.retryOf)}`, tone: "muted" };
      return { text: run.attempt > 1 ? `Ready · attempt ${run.attempt}` : "Ready to run", tone: "muted" };
    case "running":
      if (run.cancelRequested) return { text: "Cancelling at turn end", tone: "danger" };
      if (run.pauseRequested) return { text: "Pausing at turn end", tone: "violet" };
      if (run.reason?.startsWith("resource:")) return { text: resourceWait(run), tone: "warning" };
      if (run.reason?.startsWith("version:"))
        return { text: `No worker has job ${run.reason.slice(8)}`, tone: "warning" };
      return { text: `Turn ${run.turnsUsed + 1}`, tone: "info" };
    case "waiting":
      return { text: waitText(run), tone: "warning" };
    case "paused":
      return { text: run.reason === "operator" ? "Paused by operator" : "Paused", tone: "violet" };
    case "failed":
      return { text: run.error ?? (run.reason ? `Failed: ${run.reason}` : "Failed"), tone: "danger" };
    case "timed_out":
      return { text: run.reason === "wall_clock" ? "Timed out: wall-clock budget" : "Timed out", tone: "danger" };
    case "succeeded": {
      // The job's outcome mark says what happened ("Reply sent"); a rejection is never hidden behind it.
      const outcome = run.outcome ?? "Succeeded";
      if (run.rejectedActions > 0)
        return {
          text: `${outcome} · ${run.rejectedActions} action${run.rejectedActions === 1 ? "" : "s"} rejected`,
          tone: "warning",
        };
      return { text: outcome, tone: "success" };
    }
    case "cancelled":
      return { text: run.reason === "rejected" ? "Rejected by approver" : "Cancelled", tone: "muted" };
  }
}

/** A runnable run held back by a full endpoint: which one, for which key and class. */
function resourceWait(run: BoardRun): string {
  return `Waiting for ${run.reason ?? "resource"} · key ${run.fairKey} · class ${run.priority}`;
}

function waitText(run: BoardRun): string {
  switch (run.reason) {
    case "approval":
      return "Needs approval";
    case "resource":
      return run.waitingFor ? `Waiting for resource:${run.waitingFor} · key ${run.fairKey}` : "Waiting for a resource";
    case "signal":
      return run.waitingFor ? `Waiting for signal ${run.waitingFor}` : "Waiting for a signal";
    case "lock":
      return "Waiting for a lock";
    default:
      if (run.reason?.startsWith("signal:")) return `Waiting for signal ${run.reason.slice("signal:".length)}`;
      if (run.reason?.startsWith("lock:")) return `Waiting for lock ${run.reason.slice("lock:".length)}`;
      return run.reason ? `Waiting: ${run.reason}` : "Waiting";
  }
}

export function shortId(id: string): string {
  return id.replace(/-/g, "").slice(0, 8);
}

/** 12,345 → "12.3k". */
export function compactNumber(n: number): string {
  if (n < 1_000) return String(n);
  if (n < 10_000) return `${(n / 1_000).toFixed(1).replace(/\.0$/, "")}k`;
  if (n < 1_000_000) return `${Math.round(n / 1_000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, "")}M`;
}

/** The larger share of the turn and token budgets, 0..1+. */
export function budgetShare(run: Pick<BoardRun, "turnsUsed" | "budgetTurns" | "tokensUsed" | "budgetTokens">): number {
  const turns = run.budgetTurns > 0 ? run.turnsUsed / run.budgetTurns : 0;
  const tokens = run.budgetTokens > 0 ? run.tokensUsed / run.budgetTokens : 0;
  return Math.max(turns, tokens);
}
