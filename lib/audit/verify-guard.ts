import "server-only";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker as WorkerType } from "node:worker_threads";
import type { DatabaseHandle } from "@/db/client";
import { verifyAuditLog } from "./verify";
import type { AuditVerifyResult } from "./types";

// A power of two: verify reads ranges of batchSize rounded down to one (VerifyOptions.batchSize).
const batchSize = 2048;
let inFlight: Promise<AuditVerifyResult> | null = null;
let started = 0;

/** How many verifications actually ran (concurrent callers share one); for tests and metrics. */
export function verificationsStarted(): number {
  return started;
}

function inWorkerThread(url: string): Promise<AuditVerifyResult> {
  // Paths computed at run time: the worker runs the repository's TypeScript through tsx,
  // outside the Next bundle.
  const root = process.cwd();
  const entry = path.join(root, "scripts", "lib", "ts-worker.mjs");
  const file = pathToFileURL(path.join(root, "lib", "audit", "verify-thread.ts")).href;
  // Loaded at run time so the bundler does not try to bundle the worker (and tsx) into the route.
  const { Worker } = process.getBuiltinModule("node:worker_threads") as { Worker: typeof WorkerType };
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, {
      workerData: { file, url, batchSize },
      execArgv: ["--conditions=react-server"],
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    let settled = false;
    worker.once("message", (message: { result?: AuditVerifyResult; error?: string }) => {
      settled = true;
      if (message.result) resolve(message.result);
      else reject(new Error(message.error ?? "audit verification failed"));
    });
    worker.once("error", (error) => {
      if (!settled) reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`audit verification worker exited with code ${code}`));
    });
  });
}

/**
 * GET /api/audit/verify without letting it starve the server: single-flight (callers
 * arriving while a verification runs share its result, so N concurrent requests cost
 * one), and on Postgres the whole walk — reads and hashing — runs in a worker thread
 * with its own connection. Embedded PGlite lives inside this process and cannot be
 * opened from another thread, so there the walk stays in-process (still single-flight).
 * That thread folds the log and leaves reading and hashing its ranges to verifyAuditLog's
 * own worker threads (one per core, lib/audit/verify-workers.ts).
 */
export function verifyAuditChainGuarded(handle: DatabaseHandle): Promise<AuditVerifyResult> {
  if (inFlight) return inFlight;
  started += 1;
  const run =
    handle.kind === "postgres" && handle.url ? inWorkerThread(handle.url) : verifyAuditLog(handle.db, { batchSize });
  inFlight = run.finally(() => {
    inFlight = null;
  });
  return inFlight;
}
