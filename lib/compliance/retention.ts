import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { approvals, runPurges, runs, runState, toolCalls, turns, workspaceFiles, workspaceUsage } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { getEnv } from "@/lib/env";
import { sanitizeError } from "@/lib/errors/sanitize";
import { logger } from "@/lib/log";
import { pruneWaitMinutes } from "@/lib/resources/wait-rollup";
import { pruneWebhookOutbox } from "@/lib/webhooks/prune";

/**
 * Retention (docs/COMPLIANCE.md). Once a finished run is older than its job's
 * `retentionDays` (pinned on the run), its content is removed — run input, turn messages,
 * tool inputs and outputs, approval details, state keys and workspace files — and the
 * skeleton stays: state, timings, trigger, actor, governance, tool names and outcomes.
 * The audit log is never purged: its events hold only redacted data and are kept at least
 * FLIGHTDECK_AUDIT_RETENTION_DAYS (the guards refuse DELETE; removing a leaf would break
 * every proof after it). Each purge is one transaction with its `run.purged` event.
 */
export const PURGED_INPUT = { purged: "retention" } as const;

export interface RetentionResult {
  purged: string[];
  /** More candidates were left for the next pass. */
  more: boolean;
}

const system = { kind: "system" as const, id: "retention", label: "system:retention" };

/** Purges up to `limit` expired finished runs. `now` is for tests. */
export async function purgeExpiredRuns(db: Db, options: { now?: Date; limit?: number } = {}): Promise<RetentionResult> {
  const limit = options.limit ?? 200;
  const now = options.now ?? new Date();
  const candidates = rowsOf<{ id: string; job_id: string; days: number | string }>(
    await db.execute(sql`
      select r.id, r.job_id, (r.governance ->> 'retentionDays')::int as days
      from runs r
      where r.finished_at is not null
        and jsonb_typeof(r.governance -> 'retentionDays') = 'number'
        and r.finished_at < ${now.toISOString()}::timestamptz - make_interval(days => (r.governance ->> 'retentionDays')::int)
        and not exists (select 1 from run_purges p where p.run_id = r.id)
      order by r.finished_at
      limit ${limit + 1}`),
  );
  const purged: string[] = [];
  const auditDays = getEnv().FLIGHTDECK_AUDIT_RETENTION_DAYS;
  for (const c of candidates.slice(0, limit)) {
    const days = Number(c.days);
    await db.transaction(async (tx) => {
      const [locked] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.id, c.id)).for("update");
      if (!locked) return;
      const [done] = await tx
        .select({ runId: runPurges.runId })
        .from(runPurges)
        .where(eq(runPurges.runId, c.id))
        .limit(1);
      if (done) return;
      const turnRows = await tx
        .update(turns)
        .set({ messagesIn: [], messagesOut: null, toolCalls: null })
        .where(eq(turns.runId, c.id))
        .returning({ id: turns.id });
      const callRows = await tx
        .update(toolCalls)
        .set({ input: null, output: null })
        .where(eq(toolCalls.runId, c.id))
        .returning({ key: toolCalls.key });
      const approvalRows = await tx
        .update(approvals)
        .set({ details: { purged: "retention" } })
        .where(eq(approvals.runId, c.id))
        .returning({ id: approvals.id });
      const stateRows = await tx.delete(runState).where(eq(runState.runId, c.id)).returning({ key: runState.key });
      // Workspaces live in the database (lib/workspace): the run's files go, then any blob no file refers to.
      const fileRows = await tx
        .delete(workspaceFiles)
        .where(eq(workspaceFiles.runId, c.id))
        .returning({ sha256: workspaceFiles.sha256 });
      await tx.update(workspaceUsage).set({ bytes: 0 }).where(eq(workspaceUsage.runId, c.id));
      const shas = [...new Set(fileRows.map((f) => f.sha256))];
      if (shas.length > 0) {
        await tx.execute(sql`
          delete from workspace_blobs b
          where b.sha256 in (${sql.join(
            shas.map((h) => sql`${h}`),
            sql`, `,
          )})
            and not exists (select 1 from workspace_files f where f.sha256 = b.sha256)`);
      }
      const files = fileRows.length;
      // The title and outcome mark are derived from the input and output: they go with them.
      await tx.update(runs).set({ input: PURGED_INPUT, title: null, outcome: null }).where(eq(runs.id, c.id));
      const removed = {
        input: true,
        title: true,
        turns: turnRows.length,
        toolCalls: callRows.length,
        approvals: approvalRows.length,
        stateKeys: stateRows.length,
        workspaceFiles: files,
      };
      await tx.insert(runPurges).values({ runId: c.id, purgedAt: now, retentionDays: days, removed });
      await appendAudit(tx, {
        actor: system,
        authorization: { via: "system", policy: "retention", retentionDays: days, auditRetentionDays: auditDays },
        action: "run.purged",
        subject: { type: "run", id: c.id },
        payload: { runId: c.id, jobId: c.job_id, retentionDays: days, removed },
      });
    });
    purged.push(c.id);
  }
  return { purged, more: candidates.length > limit };
}

const DAY_MS = 86_400_000;

/**
 * The daily retention job: one pass shortly after start-up and then every 24 hours. Safe on
 * several instances at once: each run is purged once (row lock, then the run_purges check).
 * Returns a stop function.
 */
export function startRetention(db: Db, options: { firstDelayMs?: number } = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    if (stopped) return;
    try {
      let result: RetentionResult;
      do {
        result = await purgeExpiredRuns(db);
        if (result.purged.length > 0)
          logger("info", `retention: purged ${result.purged.length} finished runs past their job's retentionDays`);
      } while (result.more && !stopped);
      // Not run content, but history that would otherwise grow without bound: the resource wait rollup and the webhook outbox.
      const pruned = await pruneWaitMinutes(db);
      if (pruned > 0) logger("info", `retention: deleted ${pruned} resource wait minutes past their 90 days`);
      const messages = await pruneWebhookOutbox(db);
      if (messages > 0)
        logger(
          "info",
          `retention: deleted ${messages} finished webhook messages past FLIGHTDECK_WEBHOOK_RETENTION_DAYS`,
        );
    } catch (error) {
      logger("error", "retention pass failed (retried in 24 h)", { error: sanitizeError(error) });
    }
    if (!stopped) timer = setTimeout(() => void pass(), DAY_MS);
  };
  timer = setTimeout(() => void pass(), options.firstDelayMs ?? 60_000);
  timer.unref?.();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
