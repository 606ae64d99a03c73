import "server-only";
import { getDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { getEnv } from "@/lib/env";
import { startTracing } from "@/lib/telemetry";
import { registerJobDefinitions } from "@/lib/jobs";
import { registeredExecutor } from "@/lib/runtime";
import { errorMessage, logger, type Logger } from "@/lib/runtime";
import { configuredModelEndpoints, syncModelEndpoints } from "@/lib/runtime";
import type { TurnExecutor } from "@/lib/runtime";
import { startWorker } from "@/lib/runtime";
import { startAuditSealer, startAuditSearchIndexer } from "@/lib/audit";
import { checkDeclaredResources } from "@/lib/resources";

export interface WorkerProcessOptions {
  executor?: TurnExecutor;
  workerId?: string;
  /** The declarations this worker knows (executors look jobs up by id). */
  loadJobs?: () => Promise<readonly unknown[]>;
  /** Called on shutdown after the worker stopped, before the database closes (e.g. MCP connections). */
  onStop?: () => Promise<void>;
  /** Overrides of the environment's worker settings (tests). */
  leaseMs?: number;
  pollIntervalMs?: number;
  concurrency?: number;
  shutdownGraceMs?: number;
  logger?: Logger;
}

/**
 * A standalone worker process (`npm run worker`): Postgres only, since embedded PGlite
 * belongs to the one process that opened it. SIGTERM/SIGINT stop claiming, let turns in
 * flight finish (or hand them back) and exit 0; a second signal exits at once.
 */
export async function runWorkerProcess(options: WorkerProcessOptions = {}): Promise<void> {
  const log = options.logger ?? logger;
  const env = getEnv();
  if (!env.DATABASE_URL) {
    log(
      "error",
      "npm run worker needs DATABASE_URL (a postgres:// URL): the embedded PGlite database is single-process, so extra workers only work against Postgres",
    );
    process.exit(1);
  }
  const tracing = startTracing({ role: "worker" });
  if (tracing) log("info", "tracing on: spans exported over OTLP");
  const handle = await getDatabase();
  await runMigrations(handle);
  startAuditSealer(handle); // one sealer at a time across instances: lib/audit/sealer.ts
  startAuditSearchIndexer(handle); // the explorer's free-text index, behind the sealer
  if (options.loadJobs) {
    // Register only: syncing the database registry is the app's job at start-up, so an
    // older worker build never moves a job's current version back.
    const defs = registerJobDefinitions(await options.loadJobs());
    checkDeclaredResources(defs);
    log("info", "job definitions registered", { count: defs.length });
  }
  const endpoints = configuredModelEndpoints();
  await syncModelEndpoints(handle.db, endpoints);
  const worker = await startWorker({
    handle,
    // Runs of an endpoint this configuration lacks (another build's, a --live proof's) wait for a worker that has it.
    endpoints: endpoints.map((e) => e.name),
    executor: options.executor ?? registeredExecutor,
    workerId: options.workerId,
    concurrency: options.concurrency ?? env.FLIGHTDECK_WORKER_CONCURRENCY,
    pollIntervalMs: options.pollIntervalMs ?? env.FLIGHTDECK_POLL_INTERVAL_MS,
    leaseMs: options.leaseMs ?? env.FLIGHTDECK_LEASE_MS,
    shutdownGraceMs: options.shutdownGraceMs ?? env.FLIGHTDECK_SHUTDOWN_GRACE_MS,
    logger: log,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log("warn", "second signal: exiting now", { signal });
      process.exit(1);
    }
    stopping = true;
    log("info", "stopping", { signal, workerId: worker.id });
    worker
      .stop()
      .then(() => options.onStop?.())
      .then(() => tracing?.shutdown())
      .then(() => handle.close())
      .then(() => process.exit(0))
      .catch((error) => {
        log("error", "shutdown failed", { error: errorMessage(error) });
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
