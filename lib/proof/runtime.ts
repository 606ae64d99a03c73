import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { createAgentExecutor } from "@/lib/agent";
import { startAuditSealer, startAuditSearchIndexer, type AuditSealer } from "@/lib/audit";
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
import type { LogCapture } from "./log-capture";
import { proofPack, type ProofJobs } from "./pack";

/** The real runtime on one scratch database: the job registry, the sealer and a worker with the agent executor. */
export interface ProofRuntime {
  sealer: AuditSealer;
  /** Lease tokens the executor was handed, per run and turn (the zombie-writer attack reuses a stale one). */
  leaseTokens: Map<string, string[]>;
  stop(): Promise<void>;
}

export async function startProofRuntime(
  handle: DatabaseHandle,
  jobs: ProofJobs,
  options: { slots: number; modelMs: number; logs: LogCapture },
): Promise<ProofRuntime> {
  // The simulated model answers after modelMs on a timer, like a provider call. Besides holding
  // the slot, the timer lets this process's other timers run: on embedded PGlite every query
  // resolves as a microtask, and an endpoint kept busy by instant answers would starve them.
  setSimulatedPace({ minMs: options.modelMs, maxMs: options.modelMs, failureRate: 0, random: () => 0 });
  const defs = installPacks([proofPack(jobs)]);
  await loadJobRegistry(handle.db, defs);
  await syncModelEndpoints(handle.db, configuredModelEndpoints());
  const logger: Logger = options.logs.logger;
  const sealer = startAuditSealer(handle, {
    log: (level, message, fields) => logger(level, `audit sealer: ${message}`, fields),
  });
  // As in a deployment (server/boot.ts): the explorer's free-text index follows the sealer.
  const searchIndexer = startAuditSearchIndexer(handle, {
    log: (level, message, fields) => logger(level, `audit search index: ${message}`, fields),
  });
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
      workerId: "proof-worker",
      concurrency: options.slots,
      pollIntervalMs: 200,
      leaseMs: 30_000,
      logger,
    }),
  ];
  return {
    sealer,
    leaseTokens,
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await sealer.drain();
      await sealer.stop();
      await searchIndexer.stop();
      setSimulatedPace(null);
    },
  };
}
