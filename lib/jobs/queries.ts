import "server-only";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { cronTicks, jobs, jobVersions } from "@/db/schema";
import { nextTickAfter } from "./cron-schedule";
import type { SerializedJob, SerializedTrigger } from "./serialize";

export type TriggerSummary =
  | (Extract<SerializedTrigger, { kind: "schedule" }> & { nextFireAt: string | null })
  | Exclude<SerializedTrigger, { kind: "schedule" }>;

export interface JobSummary {
  id: string;
  domain: string;
  title: string;
  description: string;
  version: string;
  removedAt: string | null;
  createdAt: string;
  updatedAt: string;
  governance: SerializedJob["governance"];
  triggers: TriggerSummary[];
  agent: SerializedJob["agent"];
  budgets: SerializedJob["budgets"];
  scheduling: SerializedJob["scheduling"];
  /** JSON Schema of the run input (manual runs). */
  input: SerializedJob["input"];
  /** Earliest next cron fire time across the job's schedules, ISO; null if unscheduled. */
  nextFireAt: string | null;
  /** Cron ticks that passed while nothing was running (recorded, not replayed). */
  missedTicks: number;
}

export interface JobVersionSummary {
  version: string;
  createdAt: string;
  current: boolean;
  declaration: SerializedJob;
}

export interface JobDetail {
  job: JobSummary;
  versions: JobVersionSummary[];
}

type JobRow = typeof jobs.$inferSelect;

function nextFire(trigger: Extract<SerializedTrigger, { kind: "schedule" }>, now: Date): string | null {
  try {
    return nextTickAfter(trigger.cron, trigger.timezone, now)?.toISOString() ?? null;
  } catch {
    // A stored version whose timezone data this runtime no longer knows: show no time.
    return null;
  }
}

function summarize(row: JobRow, missedTicks: number, now: Date): JobSummary {
  // Written by syncRegistry from serializeJob, so it has that shape.
  const decl = row.declaration as unknown as SerializedJob;
  const triggers: TriggerSummary[] = decl.triggers.map((t) =>
    t.kind === "schedule" ? { ...t, nextFireAt: row.removedAt ? null : nextFire(t, now) } : t,
  );
  const fireTimes = triggers.flatMap((t) => (t.kind === "schedule" && t.nextFireAt ? [t.nextFireAt] : [])).sort();
  return {
    id: row.id,
    domain: row.domain,
    title: row.title,
    description: decl.description,
    version: row.currentVersion,
    removedAt: row.removedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    governance: decl.governance,
    triggers,
    agent: decl.agent,
    budgets: decl.budgets,
    scheduling: decl.scheduling,
    input: decl.input,
    nextFireAt: fireTimes[0] ?? null,
    missedTicks,
  };
}

async function missedCounts(db: Queryable, jobId?: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ jobId: cronTicks.jobId, n: count() })
    .from(cronTicks)
    .where(and(eq(cronTicks.status, "missed"), jobId ? eq(cronTicks.jobId, jobId) : undefined))
    .groupBy(cronTicks.jobId);
  return new Map(rows.map((r) => [r.jobId, Number(r.n)]));
}

/** The registry as GET /api/jobs shows it, ordered by domain then id. */
export async function listJobs(
  db: Queryable,
  options: { includeRemoved?: boolean; now?: Date } = {},
): Promise<JobSummary[]> {
  const now = options.now ?? new Date();
  const rows = await db
    .select()
    .from(jobs)
    .where(options.includeRemoved ? undefined : isNull(jobs.removedAt))
    .orderBy(jobs.domain, jobs.id);
  const missed = await missedCounts(db);
  return rows.map((row) => summarize(row, missed.get(row.id) ?? 0, now));
}

/** Whether a job with this id was ever registered (removed jobs keep their page): one primary-key probe. */
export async function jobExists(db: Queryable, id: string): Promise<boolean> {
  const [row] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, id)).limit(1);
  return row !== undefined;
}

/** One job with its version history, newest first; null when the id is unknown. */
export async function getJob(db: Queryable, id: string, options: { now?: Date } = {}): Promise<JobDetail | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  if (!row) return null;
  const missed = await missedCounts(db, id);
  const versions = await db
    .select()
    .from(jobVersions)
    .where(eq(jobVersions.jobId, id))
    .orderBy(desc(jobVersions.createdAt), sql`${jobVersions.version}`);
  return {
    job: summarize(row, missed.get(id) ?? 0, options.now ?? new Date()),
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt.toISOString(),
      current: v.version === row.currentVersion,
      declaration: v.declaration as unknown as SerializedJob,
    })),
  };
}
