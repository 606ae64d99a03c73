import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { DatabaseHandle } from "@/db/client";
import { createHousekeeper } from "@/lib/flashcards/housekeeping";
import { CONTROL_CHANNEL, RUNS_CHANNEL } from "./channels";
import { claimNextRun, type ClaimedTurn } from "./claim";
import { executeTurn, type InflightTurn } from "./execute-turn";
import { HistoryCache } from "./history-cache";
import { errorMessage, jsonLogger, type Logger } from "./log";
import { requeueResourceWaits, sweepOverdueRuns } from "./sweep";
import type { TurnExecutor } from "./turn-executor";

export interface WorkerOptions {
  handle: DatabaseHandle;
  executor: TurnExecutor;
  workerId?: string;
  /** Turns this worker runs at once. */
  concurrency?: number;
  /** Fallback poll when no NOTIFY arrives: the most a missed notification delays work. */
  pollIntervalMs?: number;
  leaseMs?: number;
  /** On stop(), how long turns in flight may finish before they are aborted and released. */
  shutdownGraceMs?: number;
  /** How long a run waits after a wait/resource outcome before its next turn asks again. */
  resourceRetryMs?: number;
  logger?: Logger;
}

export interface Worker {
  readonly id: string;
  readonly activeTurns: number;
  stop(): Promise<void>;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/**
 * Claims one turn at a time per free slot, runs it and checkpoints it. LISTEN on the runs
 * channel wakes it when work appears; polling is the fallback. A periodic sweep times out
 * idle runs past their wall-clock budget.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { handle, executor } = options;
  const id = options.workerId ?? defaultWorkerId();
  const concurrency = options.concurrency ?? 4;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const graceMs = options.shutdownGraceMs ?? Math.min(leaseMs, 10_000);
  const resourceRetryMs = options.resourceRetryMs ?? 5_000;
  const log = options.logger ?? jsonLogger;
  const inflight = new Map<string, InflightTurn>();
  const history = new HistoryCache();
  const active = new Set<Promise<void>>();
  let stopping = false;
  let pendingWake = false;
  let wake: (() => void) | null = null;

  const signalWake = () => {
    pendingWake = true;
    wake?.();
  };
  const waitForWake = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pendingWake || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const unlistenRuns = await handle.listen(RUNS_CHANNEL, signalWake);
  const unlistenControl = await handle.listen(CONTROL_CHANNEL, (runId) => inflight.get(runId)?.abort("hard-cancel"));

  const start = (claim: ClaimedTurn) => {
    const turn = executeTurn({ db: handle.db, executor, workerId: id, leaseMs, claim, log, inflight, history }).finally(() => {
      active.delete(turn);
      signalWake();
    });
    active.add(turn);
  };

  const loop = (async () => {
    while (!stopping) {
      if (active.size >= concurrency) {
        await waitForWake(pollIntervalMs);
        pendingWake = false;
        continue;
      }
      pendingWake = false;
      let claim: ClaimedTurn | null = null;
      try {
        claim = await claimNextRun(handle.db, { workerId: id, leaseMs });
      } catch (error) {
        log("error", "claim failed", { workerId: id, error: errorMessage(error) });
        await waitForWake(pollIntervalMs);
        continue;
      }
      if (claim) start(claim);
      else await waitForWake(pollIntervalMs);
    }
  })();

  const sweeping = { running: false };
  const flashcardHousekeeping = createHousekeeper(handle.db);
  const sweepTimer = setInterval(() => {
    if (sweeping.running || stopping) return;
    sweeping.running = true;
    sweepOverdueRuns(handle.db, id)
      .then((n) => n > 0 && log("info", "timed out idle runs", { workerId: id, count: n }))
      .then(() => requeueResourceWaits(handle.db, id, resourceRetryMs))
      .then((n) => n > 0 && log("info", "requeued runs waiting for a resource", { workerId: id, count: n }))
      .then(() => flashcardHousekeeping())
      .then((c) => (c.returned || c.expired || c.stuck) && log("info", "flashcards housekeeping", { workerId: id, ...c }))
      .catch((error) => log("error", "sweep failed", { workerId: id, error: errorMessage(error) }))
      .finally(() => (sweeping.running = false));
  }, Math.min(Math.max(pollIntervalMs, 250), 1000, resourceRetryMs));

  log("info", "worker started", { workerId: id, concurrency, pollIntervalMs, leaseMs });

  return {
    id,
    get activeTurns() {
      return inflight.size;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(sweepTimer);
      signalWake();
      await loop;
      const grace = setTimeout(() => {
        for (const turn of inflight.values()) turn.abort("shutdown");
      }, graceMs);
      await Promise.allSettled([...active]);
      clearTimeout(grace);
      await Promise.allSettled([unlistenRuns(), unlistenControl()]);
      log("info", "worker stopped", { workerId: id });
    },
  };
}
