import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { consoleBatchLog, startBatchLoop, type BatchLog } from "./batch-loop";
import { indexAuditSearchBatch } from "./search-index";

export interface AuditSearchIndexer {
  /** Indexes until every sealed event is in the search index (tests, benches). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** Events per batch: ~50 µs of Postgres time each (20,800 events/s at 1M, quiet), so a batch stays well under a second. */
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
  options: { intervalMs?: number; maxEvents?: number; log?: BatchLog } = {},
): AuditSearchIndexer {
  const interval = options.intervalMs ?? 1_000;
  const maxEvents = options.maxEvents ?? (handle.kind === "pglite" ? PGLITE_BATCH : POSTGRES_BATCH);
  const batch = () => indexAuditSearchBatch(handle.db, maxEvents);
  const loop = startBatchLoop({
    batch,
    full: (result) => result.indexed >= maxEvents,
    intervalMs: interval,
    log: options.log ?? consoleBatchLog("audit search index"),
  });

  return {
    drain: () => loop.drain(batch, (result) => result.indexed === 0),
    stop: () => loop.stop(),
  };
}
