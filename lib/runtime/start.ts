import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { getEnv } from "@/lib/env";
import { startCronScheduler, type CronScheduler } from "./triggers/cron";
import { registeredExecutor } from "./executor-registry";
import { logger as processLogger, type Logger } from "./log";
import { configuredModelEndpoints, syncModelEndpoints } from "./model-endpoints";
import { startWorker, type Worker } from "./worker";

export interface EmbeddedRuntime {
  worker: Worker;
  cron: CronScheduler | null;
  stop(): Promise<void>;
}

/**
 * The runtime inside the Next.js server (instrumentation register()): a worker with the
 * registered turn executor, and the cron scheduler (which fires only on the instance
 * holding cron leadership). Job definitions must be registered before this is called.
 */
export async function startEmbeddedRuntime(
  handle: DatabaseHandle,
  options: { cron?: boolean; logger?: Logger } = {},
): Promise<EmbeddedRuntime> {
  const env = getEnv();
  const logger = options.logger ?? processLogger;
  const endpoints = configuredModelEndpoints();
  await syncModelEndpoints(handle.db, endpoints);
  const worker = await startWorker({
    handle,
    // Runs of an endpoint this configuration lacks (another build's, a --live proof's) wait for a worker that has it.
    endpoints: endpoints.map((e) => e.name),
    executor: registeredExecutor,
    concurrency: env.FLIGHTDECK_WORKER_CONCURRENCY,
    pollIntervalMs: env.FLIGHTDECK_POLL_INTERVAL_MS,
    leaseMs: env.FLIGHTDECK_LEASE_MS,
    shutdownGraceMs: env.FLIGHTDECK_SHUTDOWN_GRACE_MS,
    logger,
  });
  const cron = options.cron === false ? null : startCronScheduler({ handle, logger });
  return {
    worker,
    cron,
    async stop() {
      await Promise.all([worker.stop(), cron?.stop()]);
    },
  };
}
