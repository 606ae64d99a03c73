import "server-only";
import type { Tx } from "@/db/client";
import type { runs, RunState } from "@/db/schema";
import { cockpitLink, enqueueWebhook } from "@/lib/webhooks";

type RunRow = typeof runs.$inferSelect;

/**
 * The run messages a team wants pushed to it, queued in the transition's (or the creation's)
 * transaction: `run.failed` when a run ends failed or timed out, `run.needs_attention` when a
 * run stops to wait for a person (an approval, including a run created waiting for one; `from`
 * is null then). Other transitions send nothing.
 */
export async function announceRunTransition(
  tx: Tx,
  run: RunRow,
  to: RunState,
  reason: string | null,
  from: RunState | null,
): Promise<void> {
  // Every transition passes here, most of them between turns: decide the type before building anything.
  const type =
    to === "failed" || to === "timed_out"
      ? "run.failed"
      : // Resuming a paused run that still waits for its approval is not news: the team heard when it first stopped.
        to === "waiting" && reason === "approval" && from !== "paused"
        ? "run.needs_attention"
        : null;
  if (type === null) return;
  const url = cockpitLink(`/runs/${encodeURIComponent(run.id)}`);
  const data = {
    run: {
      id: run.id,
      jobId: run.jobId,
      jobVersion: run.jobVersion,
      state: to,
      reason,
      waitingFor: run.waitingFor,
      // The run page shows the whole error; the message carries its first line, bounded.
      error: run.error ? (run.error.split("\n")[0] ?? "").slice(0, 300) : null,
      attempt: run.attempt,
      url,
    },
  };
  const text =
    type === "run.failed"
      ? `Run ${run.id} of ${run.jobId} ${to === "timed_out" ? "timed out" : "failed"}: ${data.run.error ?? reason ?? to} (${url})`
      : `Run ${run.id} of ${run.jobId} waits for an approval (${url})`;
  await enqueueWebhook(tx, type, { text, data });
}
