import "server-only";
import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";

/**
 * Runs one batch's `work` in a transaction that first takes the work's advisory try-lock, or
 * returns null when another instance holds it. The lock is a statement of its own and the
 * transaction is read committed whatever the server's default, so every statement of `work`
 * sees what committed before the lock was granted: a statement that took the lock and read the
 * state at once could read it from a snapshot older than the batch whose commit freed the lock.
 */
export async function underTryLock<R>(db: Db, key: number, work: (tx: Tx) => Promise<R>): Promise<R | null> {
  return db.transaction(
    async (tx) => {
      const [lock] = rowsOf<{ locked: boolean }>(
        await tx.execute(sql`select pg_try_advisory_xact_lock(${sql.raw(String(key))}) as locked`),
      );
      return lock?.locked ? work(tx) : null;
    },
    { isolationLevel: "read committed" },
  );
}

export type BatchLog = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/** The default log of a loop: console lines prefixed with what the loop does. */
export function consoleBatchLog(what: string): BatchLog {
  return (level, message, fields) =>
    console[level === "info" ? "log" : level](`[flightdeck] ${what}: ${message}`, fields ?? "");
}

/** A background loop of database batches: the sealer's and the search indexer's. */
export interface BatchLoop<R> {
  /**
   * After the running batch, runs `batch` until it reports nothing left (`empty`), waiting
   * briefly while another instance holds the lock (tests, benches, shutdown).
   */
  drain(batch: () => Promise<R | null>, empty: (result: R) => boolean): Promise<void>;
  /** No batch starts after this; resolves when the running one has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `batch` at once, then one starting every `intervalMs` (at once when the last took longer),
 * and again without waiting while batches come back full (a backlog). A batch that throws is logged ("batch failed") and the loop goes on
 * at the interval. `batch` answers null when another instance holds the work's lock.
 */
export function startBatchLoop<R>(options: {
  batch: () => Promise<R | null>;
  full: (result: R) => boolean;
  intervalMs: number;
  log: BatchLog;
}): BatchLoop<R> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<R | null> | null = null;

  const tick = async () => {
    timer = null;
    if (stopped) return;
    const started = Date.now();
    let again = false;
    try {
      current = options.batch();
      const result = await current;
      again = result !== null && options.full(result);
    } catch (error) {
      options.log("error", "batch failed", { error: error instanceof Error ? error.message : String(error) });
    } finally {
      current = null;
    }
    // Batches start every intervalMs, not intervalMs after the last one ended: under load a batch that
    // took most of the interval would otherwise double the time the next event waits.
    const wait = again ? 0 : Math.max(0, options.intervalMs - (Date.now() - started));
    if (!stopped) timer = setTimeout(() => void tick(), wait);
  };
  timer = setTimeout(() => void tick(), 0);

  return {
    async drain(batch, empty) {
      await current?.catch(() => null);
      for (;;) {
        const result = await batch();
        if (result !== null && empty(result)) return;
        if (result === null) await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.catch(() => null);
    },
  };
}
