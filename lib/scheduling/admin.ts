import "server-only";
import { notifyLive } from "@/lib/live/channel";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { runs } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { auditActor, auditAuthorization, type Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { notifyRun } from "@/lib/runtime/channels";
import { isTerminal } from "@/lib/runtime/transition-table";
import { lockRun } from "@/lib/runtime/transitions";
import { FAIR_SHARE_KEY_MAX, PRIORITY_MAX, PRIORITY_MIN } from "./policy";

/** Route param of PUT /api/scheduling/keys/{key}. */
export const fairShareKeyParam = z.strictObject({ key: z.string().trim().min(1).max(FAIR_SHARE_KEY_MAX) });
/** Body of PUT /api/scheduling/keys/{key}. */
export const keyWeightInput = z.strictObject({ weight: z.number().positive().max(10_000) });
/** Body of POST /api/runs/{id}/priority. */
export const runPriorityInput = z.strictObject({ priority: z.number().int().min(PRIORITY_MIN).max(PRIORITY_MAX) });

/**
 * Sets a fair-share key's weight (admin). The key need not have runs yet: weights can be
 * set ahead of traffic. From then on the key keeps this weight whatever its jobs declare.
 * Audited as scheduling.weight_set.
 */
export async function setKeyWeight(
  db: Db,
  principal: Principal,
  key: string,
  weight: number,
): Promise<{ key: string; weight: number; previous: number | null }> {
  return db.transaction(async (tx) => {
    const [before] = rowsOf<{ weight: number | string }>(
      await tx.execute(sql`select weight from scheduling_keys where key = ${key} for update`),
    );
    await tx.execute(sql`
      insert into scheduling_keys as k (key, weight, weight_source, vtime)
      values (${key}, ${weight}, 'admin', coalesce((select min(s.vtime) from scheduling_keys s where s.runnable + s.leased > 0), 0))
      on conflict (key) do update set weight = excluded.weight, weight_source = 'admin', updated_at = now()`);
    const previous = before ? Number(before.weight) : null;
    await appendAudit(tx, {
      actor: auditActor(principal),
      authorization: auditAuthorization(principal, "scheduling.manage"),
      action: "scheduling.weight_set",
      subject: { type: "fair_share_key", id: key },
      payload: { key, weight, previous },
    });
    await notifyLive(tx, "resources", "scheduling");
    return { key, weight, previous };
  });
}

/**
 * Re-prioritises a run that has not finished (operators; audited as run.priority_changed).
 * Takes effect at its next claim: the scheduling counters follow via the runs trigger.
 */
export async function setRunPriority(
  db: Db,
  principal: Principal,
  runId: string,
  priority: number,
): Promise<{ id: string; priority: number; previous: number }> {
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (isTerminal(run.state))
      throw new AppError("conflict", `Cannot re-prioritise a run that is ${run.state}`, { state: run.state });
    await tx
      .update(runs)
      .set({ priority, updatedAt: sql`now()` })
      .where(sql`${runs.id} = ${runId}`);
    await appendAudit(tx, {
      actor: auditActor(principal),
      authorization: auditAuthorization(principal, "runs.control"),
      action: "run.priority_changed",
      subject: { type: "run", id: runId },
      payload: { jobId: run.jobId, priority, previous: run.priority },
    });
    await notifyRun(tx, runId);
    return { id: runId, priority, previous: run.priority };
  });
}
