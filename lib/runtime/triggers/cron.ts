import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { listJobDefinitions } from "@/lib/jobs/registry";
import type { JobDefinition } from "@/lib/jobs/schema";
import { errorMessage, logger, type Logger } from "@/lib/runtime/log";
import { createCronLeadership, type CronLeadership } from "./cron-leader";
import { DEFAULT_CRON_GRACE_MS, evaluateCronTicks, type CronEvaluation } from "./cron-ticks";

export interface CronSchedulerOptions {
  handle: DatabaseHandle;
  /** Injectable clock for tests. */
  now?: () => Date;
  /** How often to evaluate; cron has minute (or second) resolution, so 1–5 s. */
  intervalMs?: number;
  graceMs?: number;
  /** Which declarations to schedule; defaults to the in-memory registry. */
  definitions?: () => readonly JobDefinition[];
  logger?: Logger;
}

export interface CronScheduler {
  /** Evaluates now if this instance leads (tests drive time through this). */
  runOnce(): Promise<CronEvaluation | null>;
  isLeader(): boolean;
  stop(): Promise<void>;
}

/**
 * Evaluates due cron ticks every interval while this instance holds leadership.
 * Evaluations never overlap; stop() waits for the one in flight and gives up the lock.
 */
export function startCronScheduler(options: CronSchedulerOptions): CronScheduler {
  const now = options.now ?? (() => new Date());
  const definitions = options.definitions ?? listJobDefinitions;
  const log = options.logger ?? logger;
  const intervalMs = Math.min(Math.max(options.intervalMs ?? 2000, 100), 60_000);
  // Created on first use so start-up stays synchronous.
  let leadership: Promise<CronLeadership> | null = null;
  let leader = false;
  let stopped = false;
  let inFlight: Promise<CronEvaluation | null> | null = null;

  async function evaluate(): Promise<CronEvaluation | null> {
    if (stopped) return null;
    leadership ??= createCronLeadership(options.handle);
    const wasLeader = leader;
    leader = await (await leadership).acquire();
    if (leader !== wasLeader) log("info", leader ? "cron leadership acquired" : "cron leadership lost");
    if (!leader || stopped) return null;
    const result = await evaluateCronTicks(options.handle.db, {
      now: now(),
      definitions: definitions(),
      graceMs: options.graceMs ?? DEFAULT_CRON_GRACE_MS,
    });
    for (const f of result.fired)
      log("info", "cron tick fired", { jobId: f.jobId, tickAt: f.tickAt.toISOString(), runId: f.runId });
    for (const m of result.missed)
      log("warn", "cron ticks missed", { jobId: m.jobId, count: m.count, truncated: m.truncated });
    for (const e of result.errors) {
      log("error", "cron tick failed", {
        jobId: e.jobId,
        tickAt: e.tickAt.toISOString(),
        error: errorMessage(e.error),
      });
    }
    return result;
  }

  function runOnce(): Promise<CronEvaluation | null> {
    inFlight ??= evaluate().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  const timer = setInterval(() => {
    if (stopped || inFlight) return;
    runOnce().catch((error: unknown) => log("error", "cron evaluation failed", { error: errorMessage(error) }));
  }, intervalMs);
  timer.unref();

  return {
    runOnce,
    isLeader: () => leader,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await inFlight?.catch(() => null);
      leader = false;
      if (leadership) await (await leadership).release();
    },
  };
}
