import "server-only";
import { and, eq, inArray, isNull, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { cronTicks, jobs } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { auditActor, auditAuthorization, systemPrincipal } from "@/lib/audit";
import type { JobDefinition } from "@/lib/jobs/schema";
import { createRun } from "@/lib/runtime/create-run";
import { ticksBetween } from "@/lib/jobs/cron-schedule";

/** Due ticks older than this when first seen are recorded as missed, not fired. */
export const DEFAULT_CRON_GRACE_MS = 60_000;
/** At most this many missed ticks are recorded per job and evaluation (the newest). */
export const MISSED_TICKS_LIMIT = 1000;

export const cronPrincipal = systemPrincipal("cron", "cron scheduler");

export interface CronEvaluation {
  fired: { jobId: string; tickAt: Date; runId: string }[];
  missed: { jobId: string; count: number; truncated: boolean }[];
  errors: { jobId: string; tickAt: Date; error: unknown }[];
}

interface DueTicks {
  fire: Date | null;
  missed: Date[];
  truncated: boolean;
}

/**
 * Ticks of all the job's schedules in (since, now]. The newest one within the grace
 * window fires; every other due tick is recorded as missed, so each tick ends up with
 * exactly one row and nothing is replayed in bulk after downtime.
 */
function dueTicks(def: JobDefinition, since: Date, now: Date, graceMs: number): DueTicks {
  const times = new Set<number>();
  let truncated = false;
  for (const trigger of def.triggers) {
    if (trigger.kind !== "schedule") continue;
    const found = ticksBetween(trigger.cron, trigger.timezone, since, now, MISSED_TICKS_LIMIT + 1);
    truncated ||= found.truncated;
    for (const t of found.ticks) times.add(t.getTime());
  }
  const sorted = [...times].sort((a, b) => a - b);
  const newest = sorted.at(-1);
  const fire = newest !== undefined && newest > now.getTime() - graceMs ? newest : null;
  const missed = (fire === null ? sorted : sorted.slice(0, -1)).map((t) => new Date(t));
  if (missed.length > MISSED_TICKS_LIMIT) truncated = true;
  return {
    fire: fire === null ? null : new Date(fire),
    missed: missed.slice(-MISSED_TICKS_LIMIT),
    truncated,
  };
}

async function recordMissed(db: Db, jobId: string, ticks: Date[], truncated: boolean): Promise<number> {
  if (ticks.length === 0) return 0;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(cronTicks)
      .values(ticks.map((tickAt) => ({ jobId, tickAt, status: "missed" as const })))
      .onConflictDoNothing()
      .returning({ tickAt: cronTicks.tickAt });
    if (inserted.length === 0) return 0;
    const times = inserted.map((r) => r.tickAt.getTime()).sort((a, b) => a - b);
    await appendAudit(tx, {
      actor: auditActor(cronPrincipal),
      action: "cron.missed",
      subject: { type: "job", id: jobId },
      authorization: auditAuthorization(cronPrincipal),
      payload: {
        count: inserted.length,
        first: new Date(times[0] ?? 0).toISOString(),
        last: new Date(times.at(-1) ?? 0).toISOString(),
        truncated,
      },
    });
    return inserted.length;
  });
}

/** Fires one tick: the tick row and the run commit together, or neither does. */
async function fireTick(db: Db, jobId: string, tickAt: Date): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(cronTicks)
      .values({ jobId, tickAt, status: "fired" })
      .onConflictDoNothing()
      .returning({ jobId: cronTicks.jobId });
    // Another instance recorded this tick (fired or missed): nothing to do.
    if (!claimed) return null;
    const run = await createRun(tx, {
      jobId,
      input: {},
      trigger: { kind: "schedule", ref: tickAt.toISOString() },
      actor: cronPrincipal,
    });
    await tx
      .update(cronTicks)
      .set({ runId: run.id })
      .where(and(eq(cronTicks.jobId, jobId), eq(cronTicks.tickAt, tickAt)));
    return run.id;
  });
}

/**
 * One evaluation of every scheduled job. Safe to run on any number of instances at
 * once: the (job_id, tick_at) key lets exactly one of them record each tick.
 */
export async function evaluateCronTicks(
  db: Db,
  options: { now: Date; definitions: readonly JobDefinition[]; graceMs?: number },
): Promise<CronEvaluation> {
  const result: CronEvaluation = { fired: [], missed: [], errors: [] };
  const scheduled = options.definitions.filter((d) => d.triggers.some((t) => t.kind === "schedule"));
  if (scheduled.length === 0) return result;
  const ids = scheduled.map((d) => d.id);
  const graceMs = options.graceMs ?? DEFAULT_CRON_GRACE_MS;

  const registered = await db
    .select({ id: jobs.id, since: jobs.scheduleSince })
    .from(jobs)
    .where(and(inArray(jobs.id, ids), isNull(jobs.removedAt)));
  const lastTicks = await db
    .select({ jobId: cronTicks.jobId, last: max(cronTicks.tickAt) })
    .from(cronTicks)
    .where(inArray(cronTicks.jobId, ids))
    .groupBy(cronTicks.jobId);
  const lastByJob = new Map(lastTicks.map((r) => [r.jobId, r.last]));
  const sinceByJob = new Map(registered.map((r) => [r.id, r.since]));

  for (const def of scheduled) {
    const scheduledSince = sinceByJob.get(def.id);
    // Not (or no longer) in the database registry: nothing to fire for.
    if (!scheduledSince) continue;
    // Ticks before the current schedules took effect were never due.
    const last = lastByJob.get(def.id) ?? null;
    const since = last && last.getTime() > scheduledSince.getTime() ? last : scheduledSince;
    const due = dueTicks(def, since, options.now, graceMs);
    const missedCount = await recordMissed(db, def.id, due.missed, due.truncated);
    if (missedCount > 0) result.missed.push({ jobId: def.id, count: missedCount, truncated: due.truncated });
    if (due.fire) {
      try {
        const runId = await fireTick(db, def.id, due.fire);
        if (runId) result.fired.push({ jobId: def.id, tickAt: due.fire, runId });
      } catch (error) {
        // The tick stays unrecorded: retried next evaluation, recorded missed after the grace.
        result.errors.push({ jobId: def.id, tickAt: due.fire, error });
      }
    }
  }
  return result;
}
