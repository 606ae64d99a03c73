import { appendAuditEvents } from "@/lib/audit";
import type { Db } from "@/db/client";
import { benchEvent } from "./events";
import { summarize, type Summary } from "./stats";

/** How a writer's transaction is sent: BEGIN, the insert, COMMIT (as an audited change records its events) or the insert alone. */
export type AppendMode = "transaction" | "autocommit";

export interface AppendResult {
  writers: number;
  eventsPerTx: number;
  mode: AppendMode;
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
 * BEGIN → COMMIT acknowledged ("transaction"), or the insert's own commit ("autocommit": an
 * event that is the transaction's only write, such as a sign-in or a refused tool call).
 */
export async function appendPhase(
  db: Db,
  writers: number,
  eventsPerTx: number,
  durationMs: number,
  nextIndex: () => number,
  mode: AppendMode = "transaction",
): Promise<AppendResult> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  const events = () => Array.from({ length: eventsPerTx }, () => benchEvent(nextIndex()));
  const writer = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      if (mode === "autocommit") await appendAuditEvents(db, events());
      else await db.transaction((tx) => appendAuditEvents(tx, events()));
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  const seconds = (performance.now() - start) / 1000;
  const total = latencies.length * eventsPerTx;
  return {
    writers,
    eventsPerTx,
    mode,
    transactions: latencies.length,
    events: total,
    seconds,
    eventsPerSecond: total / seconds,
    txLatencyMs: summarize(latencies),
  };
}
