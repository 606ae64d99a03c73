import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { getEnv } from "@/lib/env";
import { writeAnchorFile, witnessQueue, type WitnessQueue } from "./anchor";
import { consoleBatchLog, startBatchLoop, type BatchLog } from "./batch-loop";
import { sealBatch, type SealResult } from "./seal";

export interface AuditSealer {
  /** Seals until nothing committed is left unsealed (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the sealer in this process: a batch every interval (≤ 250 ms), and at once again
 * while batches come back full. Every instance runs one; the sealer lock makes exactly
 * one of them seal at a time, and when the holder dies its transaction (and lock) ends
 * with its connection, so another takes over on its next tick. After each committed
 * batch the checkpoint is anchored (file, witness) without holding up the next batch.
 */
/**
 * The low-water mark: a batch that came back not full sealed every event visible to it, so
 * events with an id up to the highest id that existed then can only be missing if their
 * transaction was still open. Batches start from the highest such id recorded at least
 * `graceMs` ago (a writer transaction open longer than that is unusual), and every
 * `rescanMs` one batch starts from 0 again, so a very long transaction is still sealed.
 */
class LowWater {
  private marks: { at: number; maxId: number }[] = [];
  private lastRescan = Date.now();

  constructor(
    private readonly graceMs: number,
    private readonly rescanMs: number,
  ) {}

  fromId(now = Date.now()): number {
    if (now - this.lastRescan >= this.rescanMs) {
      this.lastRescan = now;
      return 0;
    }
    let from = 0;
    while (this.marks.length > 0 && now - (this.marks[0]?.at ?? now) >= this.graceMs) {
      from = Math.max(from, this.marks[0]?.maxId ?? 0);
      if (this.marks.length === 1) break;
      this.marks.shift();
    }
    return from;
  }

  record(result: SealResult, full: boolean, now = Date.now()): void {
    if (full) return;
    this.marks.push({ at: now, maxId: result.maxId });
    if (this.marks.length > 10_000) this.marks.splice(0, this.marks.length - 10_000);
  }
}

/** Events per batch on embedded PGlite (~60 ms of its one thread here). */
export const PGLITE_BATCH = 500;

export function startAuditSealer(
  handle: DatabaseHandle,
  options: { intervalMs?: number; log?: BatchLog; graceMs?: number; rescanMs?: number; maxEvents?: number } = {},
): AuditSealer {
  const env = getEnv();
  const interval = options.intervalMs ?? env.FLIGHTDECK_AUDIT_SEAL_INTERVAL_MS;
  const log = options.log ?? consoleBatchLog("audit sealer");
  const anchorDir = env.FLIGHTDECK_AUDIT_ANCHOR_DIR;
  const witness: WitnessQueue | null = env.FLIGHTDECK_AUDIT_ANCHOR_URL
    ? witnessQueue(env.FLIGHTDECK_AUDIT_ANCHOR_URL, {
        onError: (message) => log("warn", "witness POST failed, will retry", { message }),
      })
    : null;
  // Embedded PGlite runs every query of the process on one thread: a batch holds it for its
  // whole length (5,560 events took 689 ms, and a run created meanwhile waited that long), so
  // its batches are short and follow each other at once while a backlog lasts. On Postgres
  // the sealer has its own connection and large batches cost nobody else.
  const maxEvents = options.maxEvents ?? (handle.kind === "pglite" ? PGLITE_BATCH : 10_000);
  const lowWater = new LowWater(options.graceMs ?? 30_000, options.rescanMs ?? 60_000);
  let anchors: Promise<void> = Promise.resolve();

  const anchor = (result: SealResult) => {
    const { note, treeSize } = result;
    if (note === null) return;
    witness?.push(note);
    if (anchorDir) {
      anchors = anchors
        .then(() => writeAnchorFile(anchorDir, treeSize, note))
        .catch((error: unknown) => log("error", "anchor file not written", { treeSize, error: String(error) }));
    }
  };

  const once = async (fromScratch = false): Promise<SealResult | null> => {
    const result = await sealBatch(handle.db, { maxEvents, fromId: fromScratch ? 0 : lowWater.fromId() });
    if (result) {
      lowWater.record(result, result.sealed + result.rejected >= maxEvents);
      anchor(result);
      if (result.rejected > 0) log("warn", "events with a bad MAC refused", { count: result.rejected });
    }
    return result;
  };

  const loop = startBatchLoop({
    batch: () => once(),
    full: (result) => result.sealed + result.rejected >= maxEvents,
    intervalMs: interval,
    log,
  });

  return {
    async drain() {
      await loop.drain(
        () => once(true),
        (result) => result.sealed + result.rejected === 0,
      );
      await anchors;
      await witness?.idle();
    },
    async stop() {
      await loop.stop();
      await anchors;
      witness?.stop();
    },
  };
}
