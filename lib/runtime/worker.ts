import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { DatabaseHandle } from "@/db/client";
import { createHousekeeper } from "@/lib/flashcards/housekeeping";
import { CONTROL_CHANNEL, RUNS_CHANNEL } from "./channels";
import { claimHandedOverSlot, claimNextRun, MAX_HANDOFFS, type ClaimedTurn } from "./claim";
import type { SlotHandoff } from "./checkpoint";
import { executeTurn, type InflightTurn } from "./execute-turn";
import { HistoryCache } from "./history-cache";
import { LOCKS_CHANNEL } from "@/lib/memory";
import { sweepLocks, wakeLockWaiters } from "./lock-wake";
import { errorMessage, logger, type Logger } from "./log";
import { startResourceWaker } from "@/lib/resources/wake";
import { sweepOverdueRuns } from "./sweep";
import { sweepSignalTimeouts } from "./signal-waits";
import type { TurnExecutor } from "./turn-executor";
import { missingVersion } from "./version-pin";

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
  logger?: Logger;
  /**
   * The model endpoints whose runs this worker claims: the ones its executor can call. A deployment's
   * workers pass their configuration's (start.ts); unset: any endpoint (a custom executor's choice).
   */
  endpoints?: readonly string[];
  /**
   * Deployment-wide upkeep: the sweeps of every run (wall-clock budgets, signal timeouts, lock wakes),
   * flashcard housekeeping (and the webhook outbox it delivers) and the shared-memory lock queues.
   * Default true; false makes a guest worker that sweeps the runs of its endpoint set only and leaves
   * the rest to the deployment's workers (npm run proof -- --live).
   */
  housekeeping?: boolean;
  /** Overrides the version check (version-pin.ts) that leaves runs of versions this build lacks. */
  cannotRun?: (run: ClaimedTurn["run"]) => string | null;
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
  const log = options.logger ?? logger;
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

  // Says once per run that it was left for a worker whose build has the run's job version.
  const refused = new Set<string>();
  const cannotRun = (run: ClaimedTurn["run"]): string | null => {
    const why = (options.cannotRun ?? missingVersion)(run);
    if (why && !refused.has(run.id)) {
      if (refused.size > 10_000) refused.clear();
      refused.add(run.id);
      log("warn", "claim left: this build cannot run the run's job version", {
        workerId: id,
        runId: run.id,
        jobId: run.jobId,
        why,
      });
    }
    return why;
  };

  const unlistenRuns = await handle.listen(RUNS_CHANNEL, signalWake);
  const unlistenControl = await handle.listen(CONTROL_CHANNEL, (runId) => inflight.get(runId)?.abort("hard-cancel"));
  // Lock granted or refused for these runs: move them from waiting to queued (their NOTIFY then wakes a worker).
  const unlistenLocks = await handle.listen(LOCKS_CHANNEL, (payload) => {
    wakeLockWaiters(
      handle.db,
      id,
      payload.split(",").filter(Boolean),
      housekeeping ? undefined : options.endpoints,
    ).catch((error) => log("error", "lock wake failed", { workerId: id, error: errorMessage(error) }));
  });

  // A finished turn's slot goes to the next turn in its checkpoint (claim.ts): no claim
  // round trip between turns while there is work. Not once stopping.
  const handoff: SlotHandoff = {
    claim: (tx, previous, sink) =>
      stopping ? Promise.resolve(null) : claimHandedOverSlot(tx, previous, { workerId: id, leaseMs, cannotRun }, sink),
    started: (next) => {
      log("debug", "slot handed over", {
        workerId: id,
        runId: next.run.id,
        turnIndex: next.turnIndex,
        handoffs: next.handoffs,
      });
      start(next);
    },
  };
  const start = (claim: ClaimedTurn) => {
    const turn = executeTurn({
      db: handle.db,
      executor,
      workerId: id,
      leaseMs,
      claim,
      log,
      inflight,
      history,
      handoff: claim.handoffs < MAX_HANDOFFS ? handoff : undefined,
    }).finally(() => {
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
        claim = await claimNextRun(handle.db, { workerId: id, leaseMs, cannotRun, endpoints: options.endpoints });
      } catch (error) {
        log("error", "claim failed", { workerId: id, error: errorMessage(error) });
        await waitForWake(pollIntervalMs);
        continue;
      }
      if (claim) start(claim);
      else await waitForWake(pollIntervalMs);
    }
  })();

  // A run's budget, signal timeout and lock grant are its own, whatever process looks: a deployment's
  // workers sweep every run. A guest worker (housekeeping: false) sweeps its own endpoints' runs only.
  const housekeeping = options.housekeeping ?? true;
  const scope = housekeeping ? undefined : options.endpoints;
  const sweeping = { running: false };
  const flashcardHousekeeping = createHousekeeper(handle.db);
  const sweepTimer = setInterval(
    () => {
      if (sweeping.running || stopping) return;
      sweeping.running = true;
      sweepOverdueRuns(handle.db, id, 50, scope)
        .then((n) => n > 0 && log("info", "timed out idle runs", { workerId: id, count: n }))
        .then(() => sweepSignalTimeouts(handle.db, id, 50, scope))
        .then((n) => n > 0 && log("info", "signal waits timed out", { workerId: id, count: n }))
        .then(() => sweepLocks(handle.db, id, { queues: housekeeping, endpoints: scope }))
        .then((n) => n > 0 && log("info", "woke runs waiting for a lock", { workerId: id, count: n }))
        .then(() => (housekeeping ? flashcardHousekeeping() : null))
        .then(
          (c) =>
            c && (c.returned || c.expired || c.stuck) && log("info", "flashcards housekeeping", { workerId: id, ...c }),
        )
        .catch((error) => log("error", "sweep failed", { workerId: id, error: errorMessage(error) }))
        .finally(() => (sweeping.running = false));
    },
    Math.min(Math.max(pollIntervalMs, 250), 1000),
  );
  // Runs waiting for a rate-limited resource are woken when its window refills (lib/resources/wake.ts).
  const waker = startResourceWaker({
    db: handle.db,
    workerId: id,
    // Whether a resource refilled depends on this process's quota configuration: only its endpoints' runs.
    endpoints: options.endpoints,
    onError: (error) => log("error", "resource wake failed", { workerId: id, error: errorMessage(error) }),
    onRequeued: (count) => log("info", "requeued runs: their resource has capacity again", { workerId: id, count }),
  });

  log("info", "worker started", {
    workerId: id,
    concurrency,
    pollIntervalMs,
    leaseMs,
    endpoints: options.endpoints ?? "any",
  });

  return {
    id,
    get activeTurns() {
      return inflight.size;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      const drainStarted = Date.now();
      const inFlight = inflight.size;
      clearInterval(sweepTimer);
      waker.stop();
      signalWake();
      await loop;
      const grace = setTimeout(() => {
        for (const turn of inflight.values()) turn.abort("shutdown");
      }, graceMs);
      // A turn handed a slot just before stopping joins the set while it drains.
      while (active.size > 0) await Promise.allSettled([...active]);
      clearTimeout(grace);
      await Promise.allSettled([unlistenRuns(), unlistenControl(), unlistenLocks()]);
      log("info", "worker stopped", {
        workerId: id,
        drainMs: Date.now() - drainStarted,
        turnsInFlight: inFlight,
        graceMs,
      });
    },
  };
}
