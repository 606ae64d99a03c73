import { appendAuditEvents } from "@/lib/audit";
import type { Db } from "@/db/client";
import { benchEvent } from "./events";
import { summarize, type Summary } from "./stats";

export interface AppendResult {
  writers: number;
  eventsPerTx: number;
  transactions: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  txLatencyMs: Summary;
}

/**
 * `writers` concurrent loops, each committing transactions of `eventsPerTx` events
 * (one appendAuditEvents insert, as a transaction records its events) until the deadline;
 * a transaction started before the deadline is allowed to finish and counts. Latency is
 * BEGIN → COMMIT acknowledged.
 */
export async function appendPhase(
  db: Db,
  writers: number,
  eventsPerTx: number,
  durationMs: number,
  nextIndex: () => number,
): Promise<AppendResult> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  const writer = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await db.transaction(async (tx) => {
        await appendAuditEvents(
          tx,
          Array.from({ length: eventsPerTx }, () => benchEvent(nextIndex())),
        );
      });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  const seconds = (performance.now() - start) / 1000;
  const events = latencies.length * eventsPerTx;
  return {
    writers,
    eventsPerTx,
    transactions: latencies.length,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    txLatencyMs: summarize(latencies),
  };
}
