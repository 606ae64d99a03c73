import "server-only";
import type { Queryable } from "@/db/client";
import { flashcardKinds, liveFlashcardStates } from "@/db/schema";
import { createMetrics, type Metrics } from "./definitions";
import { namedFairShareKeys, OTHER, toolLabel } from "./label-values";
import {
  auditLag,
  endpointUse,
  finishedRunsSince,
  finishedToolCallsSince,
  finishedTurnsSince,
  jobIds,
  liveFlashcards,
  liveRunCounts,
  lockRequests,
  startCursor,
  type TailCursor,
} from "./queries";

export interface CollectorOptions {
  /** Rows read per tail per scrape; a longer backlog is read by the next scrapes. */
  tailLimit?: number;
  /** How long after finished_at a row is counted (its transaction's commit may trail its stamp). */
  settleSeconds?: number;
}

const liveRunStates = ["queued", "running", "waiting", "paused"] as const;
/** Only calls that ran have a meaningful duration; refusals and parked calls record 0 or none. */
const executedOutcomes = new Set(["succeeded", "failed"]);

type Tail = "runs" | "turns" | "tool_calls";

/**
 * Computes the deployment's metrics from the database at scrape time, so every web
 * instance answers for all workers and instances alike. Gauges are re-read each scrape;
 * counters and histograms are fed by tailing rows finished since this process's cursors
 * (counting starts at its first scrape; a restart is a counter reset, which Prometheus
 * handles). Scrapes are serialised so two concurrent ones never read the same page twice.
 */
export class MetricsCollector {
  readonly metrics: Metrics = createMetrics();
  private readonly tailLimit: number;
  private readonly settleSeconds: number;
  private cursors: Record<Tail, TailCursor> | null = null;
  private auditSealedSeen = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: CollectorOptions = {}) {
    this.tailLimit = options.tailLimit ?? 5000;
    this.settleSeconds = options.settleSeconds ?? 15;
  }

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  /** Reads the database and answers the exposition text. */
  scrape(db: Queryable): Promise<string> {
    const next = this.queue.then(() => this.collect(db));
    // A failed scrape must not wedge the ones after it; its own caller still sees the error.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async collect(db: Queryable): Promise<string> {
    await this.tail(db);
    await this.gauges(db);
    return this.metrics.registry.metrics();
  }

  private async tail(db: Queryable): Promise<void> {
    const m = this.metrics;
    if (!this.cursors) {
      const start = await startCursor(db, this.settleSeconds);
      this.cursors = { runs: start, turns: start, tool_calls: start };
    }
    const cursors = this.cursors;

    const runs = await finishedRunsSince(db, cursors.runs, this.settleSeconds, this.tailLimit);
    for (const r of runs) m.runsFinished.inc({ job_id: r.jobId, state: r.state });
    this.advance("runs", runs);

    const turns = await finishedTurnsSince(db, cursors.turns, this.settleSeconds, this.tailLimit);
    const keys = turns.length > 0 ? await namedFairShareKeys(db) : new Set<string>();
    for (const t of turns) {
      m.turns.inc({ job_id: t.jobId, outcome: t.status });
      m.turnDuration.observe({ job_id: t.jobId, outcome: t.status }, t.seconds);
      if (t.modelMs !== null) m.modelCallDuration.observe({ endpoint: t.endpoint }, t.modelMs / 1000);
      if (t.waitMs !== null && t.fairKey !== null)
        m.turnWait.observe({ fair_share_key: keys.has(t.fairKey) ? t.fairKey : OTHER }, t.waitMs / 1000);
    }
    this.advance("turns", turns);

    const calls = await finishedToolCallsSince(db, cursors.tool_calls, this.settleSeconds, this.tailLimit);
    for (const c of calls) {
      const tool = toolLabel(c.tool);
      m.toolCalls.inc({ tool, outcome: c.status });
      if (c.durationMs !== null && executedOutcomes.has(c.status))
        m.toolCallDuration.observe({ tool, outcome: c.status }, c.durationMs / 1000);
    }
    this.advance("tool_calls", calls);
  }

  private advance(tail: Tail, page: readonly { cursorAt: string; id: string }[]): void {
    const last = page.at(-1);
    if (last && this.cursors) this.cursors[tail] = { at: last.cursorAt, id: last.id };
    this.metrics.tailBacklog.set({ tail }, page.length >= this.tailLimit ? 1 : 0);
  }

  private async gauges(db: Queryable): Promise<void> {
    const m = this.metrics;
    const [jobs, live, endpoints, audit, cards, locks] = await Promise.all([
      jobIds(db),
      liveRunCounts(db),
      endpointUse(db),
      auditLag(db),
      liveFlashcards(db),
      lockRequests(db),
    ]);

    // Reset first so a job or endpoint that went away stops being reported; known jobs read 0, not absent.
    m.runs.reset();
    for (const job_id of jobs) for (const state of liveRunStates) m.runs.set({ job_id, state }, 0);
    for (const r of live) m.runs.set({ job_id: r.jobId, state: r.state }, r.count);

    for (const gauge of [
      m.endpointSlotsInUse,
      m.endpointSlotsMax,
      m.endpointTokensLastMinute,
      m.endpointTokensLimit,
      m.endpointTokensWindow,
    ])
      gauge.reset();
    for (const e of endpoints) {
      const labels = { endpoint: e.endpoint };
      m.endpointSlotsInUse.set(labels, e.slotsInUse);
      m.endpointSlotsMax.set(labels, e.maxConcurrency);
      m.endpointTokensLastMinute.set(labels, e.tokensLastMinute);
      if (e.tokensPerMinute !== null) {
        m.endpointTokensLimit.set(labels, e.tokensPerMinute);
        m.endpointTokensWindow.set(labels, e.windowUsed ?? 0);
      }
    }

    // seq is gapless and never reused, so the counter follows the log's length; every instance reports the same value.
    if (audit.sealed > this.auditSealedSeen) {
      m.auditAppended.inc(audit.sealed - this.auditSealedSeen);
      this.auditSealedSeen = audit.sealed;
    }
    m.auditUnsealed.set(audit.unsealed);
    m.auditOldestUnsealed.set(audit.oldestUnsealedSeconds);

    m.flashcards.reset();
    for (const kind of flashcardKinds) for (const state of liveFlashcardStates) m.flashcards.set({ kind, state }, 0);
    for (const c of cards) m.flashcards.set({ kind: c.kind, state: c.state }, c.count);

    m.locks.set({ status: "held" }, locks.held);
    m.locks.set({ status: "waiting" }, locks.waiting);
    m.lockOldestWait.set(locks.oldestWaitSeconds);
  }
}

// One collector per process: its cursors and counters must outlive a single request.
let collector: MetricsCollector | undefined;

export function metricsCollector(): MetricsCollector {
  collector ??= new MetricsCollector();
  return collector;
}

/** Tests: start over with a fresh collector (fresh cursors and counters). */
export function resetMetricsCollector(options: CollectorOptions = {}): MetricsCollector {
  collector = new MetricsCollector(options);
  return collector;
}
