import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { createAgentExecutor } from "@/lib/agent";
import { randomBytes } from "node:crypto";
import { startAuditSealer, startAuditSearchIndexer } from "@/lib/audit";
import { loadJobRegistry } from "@/lib/jobs";
import { setSimulatedPace } from "@/lib/models";
import type { Logger } from "@/lib/log";
import { installPacks } from "@/lib/packs";
import {
  configuredModelEndpoints,
  startWorker,
  syncModelEndpoints,
  type TurnExecutor,
  type Worker,
} from "@/lib/runtime";
import { newestEventId, waitUntilSealed } from "./live-sealing";
import type { LogCapture } from "./log-capture";
import { PROOF_ENDPOINTS } from "./names";
import { proofPack, type ProofJobs } from "./pack";

/**
 * The real runtime on the proof's database: the job registry, the sealer and a worker with the agent
 * executor. Live (`npm run proof -- --live`) the deployment's sealer seals: the proof starts none.
 */
export interface ProofRuntime {
  /** Lease tokens the executor was handed, per run and turn (the zombie-writer attack reuses a stale one). */
  leaseTokens: Map<string, string[]>;
  stop(): Promise<void>;
}

export async function startProofRuntime(
  handle: DatabaseHandle,
  jobs: ProofJobs,
  options: { slots: number; modelMs: number; logs: LogCapture; live: boolean },
): Promise<ProofRuntime> {
  // The simulated model answers after modelMs on a timer, like a provider call. Besides holding
  // the slot, the timer lets this process's other timers run: on embedded PGlite every query
  // resolves as a microtask, and an endpoint kept busy by instant answers would starve them.
  setSimulatedPace({ minMs: options.modelMs, maxMs: options.modelMs, failureRate: 0, random: () => 0 });
  const defs = installPacks([proofPack(jobs)]);
  // Its own jobs and endpoints only, beside whatever else the database has: on a live deployment
  // the deployment's jobs stay registered and its endpoints as configured.
  await loadJobRegistry(handle.db, defs, { removeUndeclared: false });
  await syncModelEndpoints(
    handle.db,
    configuredModelEndpoints().filter((e) => PROOF_ENDPOINTS.includes(e.name)),
  );
  const logger: Logger = options.logs.logger;
  const sealing = options.live ? null : startSealing(handle, logger);
  // Live, the events from here on are the proof's (and the deployment's): none may be refused.
  const firstId = options.live ? await newestEventId(handle.db) : 0;
  const leaseTokens = new Map<string, string[]>();
  const agent = createAgentExecutor();
  // The agent executor as is; only the lease token each turn was given is noted on the way in.
  const executor: TurnExecutor = {
    ...agent,
    execute(context) {
      const tokens = leaseTokens.get(context.runId) ?? [];
      tokens.push(context.leaseToken);
      leaseTokens.set(context.runId, tokens);
      return agent.execute(context);
    },
  };
  // One worker with as many turns in flight as the endpoint has slots: on embedded PGlite every
  // query shares this process's one thread, and a second worker only adds failed claims.
  const workers: Worker[] = [
    await startWorker({
      handle,
      executor,
      workerId: options.live ? `proof-worker-${randomBytes(3).toString("hex")}` : "proof-worker",
      // Only the proof's endpoints: live, the deployment's runs are its own workers' to run.
      endpoints: PROOF_ENDPOINTS,
      // Live, the deployment-wide upkeep (flashcards, webhook deliveries, lock queues) stays the deployment's.
      housekeeping: !options.live,
      concurrency: options.slots,
      pollIntervalMs: 200,
      leaseMs: 30_000,
      logger,
    }),
  ];
  return {
    leaseTokens,
    async stop() {
      try {
        await Promise.all(workers.map((w) => w.stop()));
        if (sealing) await sealing.stop();
        else await waitUntilSealed(handle.db, LIVE_SEAL_TIMEOUT_MS, firstId);
      } finally {
        setSimulatedPace(null);
      }
    },
  };
}

/** How long a live proof waits for the deployment's sealer to seal what it wrote. */
const LIVE_SEAL_TIMEOUT_MS = 60_000;

/** The sealer and, as in a deployment (server/boot.ts), the explorer's free-text index behind it. */
function startSealing(handle: DatabaseHandle, logger: Logger) {
  const sealer = startAuditSealer(handle, {
    log: (level, message, fields) => logger(level, `audit sealer: ${message}`, fields),
  });
  const searchIndexer = startAuditSearchIndexer(handle, {
    log: (level, message, fields) => logger(level, `audit search index: ${message}`, fields),
  });
  return {
    async stop() {
      await sealer.drain();
      await sealer.stop();
      await searchIndexer.stop();
    },
  };
}
