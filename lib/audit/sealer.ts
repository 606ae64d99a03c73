import "server-only";
import type { DatabaseHandle } from "@/db/client";
import { getEnv } from "@/lib/env";
import { writeAnchorFile, witnessQueue, type WitnessQueue } from "./anchor";
import { consoleBatchLog, startBatchLoop, type BatchLog } from "./batch-loop";
import { sealBatch, type SealResult } from "./seal";
import type { SealCoverage } from "./seal-floor";

export interface AuditSealer {
  /** Seals until nothing committed is left unsealed (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Where each batch starts looking (seal-floor.ts): just above the floor, which trails the newest
 * events by about one batch. A transaction that stays open holds the floor back (it is below every
 * later coverage until it ends); while the oldest coverage not settled yet is older than `graceMs`,
 * batches start from the highest id covered at least `graceMs` ago instead, and every `rescanMs`
 * one starts from the floor, so the long transaction's events are sealed once it commits.
 */
class SealStart {
  private floor = 0;
  private pending: (SealCoverage & { at: number })[] = [];
  private lastFloorScan = Date.now();

  constructor(
    private readonly graceMs: number,
    private readonly rescanMs: number,
  ) {}

  next(fromFloor: boolean, now = Date.now()): { fromId?: number; floor: number; pending: SealCoverage[] } {
    const oldest = this.pending[0];
    const held = oldest !== undefined && now - oldest.at >= this.graceMs;
    if (held && !fromFloor && now - this.lastFloorScan < this.rescanMs) {
      let mark = this.floor;
      for (const p of this.pending) if (now - p.at >= this.graceMs && p.to > mark) mark = p.to;
      return { fromId: mark + 1, floor: this.floor, pending: this.pending };
    }
    this.lastFloorScan = now;
    return { floor: this.floor, pending: this.pending };
  }

  /** Another instance sealed meanwhile: what this one covered is old news, and its floor comes from the checkpoints. */
  forget(): void {
    this.pending = [];
  }

  record(result: SealResult, now = Date.now()): void {
    this.floor = Math.max(this.floor, result.floor);
    this.pending = this.pending.filter((p) => p.to > this.floor);
    if (result.coverage.to > this.floor) this.pending.push({ ...result.coverage, at: now });
    // Dropping the oldest only delays the floor: a later coverage that settles covers it too.
    if (this.pending.length > 10_000) this.pending.splice(0, this.pending.length - 10_000);
  }
}

/** Events per batch on embedded PGlite (~60 ms of its one thread here). */
export const PGLITE_BATCH = 500;

/**
 * Runs the sealer in this process: a batch every interval (≤ 250 ms), and at once again
 * while batches come back full. Every instance runs one; the sealer lock makes exactly
 * one of them seal at a time, and when the holder dies its transaction (and lock) ends
 * with its connection, so another takes over on its next tick. After each committed
 * batch the checkpoint is anchored (file, witness) without holding up the next batch.
 */
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
  const start = new SealStart(options.graceMs ?? 30_000, options.rescanMs ?? 60_000);
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

  const once = async (fromFloor = false): Promise<SealResult | null> => {
    const result = await sealBatch(handle.db, { maxEvents, ...start.next(fromFloor) });
    if (result === null) start.forget();
    else {
      start.record(result);
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
