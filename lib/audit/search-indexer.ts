import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { startBatchLoop } from "./batch-loop";
import { indexAuditSearchBatch } from "./search-index";

export interface AuditSearchIndexer {
  /** Indexes until every sealed event is in the search index (tests, benches). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/** Events per batch: ~40 µs of Postgres time each (25,600 events/s at 1M), so a batch stays well under a second. */
const POSTGRES_BATCH = 2_000;
/** On embedded PGlite a batch holds the process's one thread; short ones let requests in between. */
const PGLITE_BATCH = 200;

/**
 * Keeps the explorer's free-text index (audit_search) behind the sealer: a batch every
 * interval, and at once again while batches come back full (after a migration onto a
 * long log, it catches up in the background). Every instance runs one; the indexing
 * lock lets one index at a time. It never delays sealing: it has its own loop and, on
 * Postgres, its own connection from the pool.
 */
export function startAuditSearchIndexer(
  handle: DatabaseHandle,
  options: { intervalMs?: number; maxEvents?: number; log?: Log } = {},
): AuditSearchIndexer {
  const interval = options.intervalMs ?? 1_000;
  const maxEvents = options.maxEvents ?? (handle.kind === "pglite" ? PGLITE_BATCH : POSTGRES_BATCH);
  const log: Log =
    options.log ??
    ((level, message, fields) =>
      console[level === "info" ? "log" : level](`[flightdeck] audit search index: ${message}`, fields ?? ""));
  const loop = startBatchLoop({
    batch: () => indexAuditSearchBatch(handle.db, maxEvents),
    full: (result) => result.indexed >= maxEvents,
    intervalMs: interval,
    onError: (error) => log("error", "batch failed", { error: error instanceof Error ? error.message : String(error) }),
  });

  return {
    async drain() {
      for (;;) {
        await loop.running()?.catch(() => null);
        const result = await indexAuditSearchBatch(handle.db, maxEvents);
        if (result !== null && result.indexed === 0) return;
        if (result === null) await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () => loop.stop(),
  };
}
