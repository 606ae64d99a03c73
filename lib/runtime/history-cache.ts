import "server-only";
import { and, asc, eq, gt, lt } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { turns } from "@/db/schema";

interface Entry {
  /** Highest completed turn index included (−1: none). */
  through: number;
  messages: unknown[];
}

/**
 * A worker's copy of the histories of the runs it has recently executed, so a turn reads
 * only what it does not have (the delta) instead of every completed turn of its run.
 * Turns complete in index order and a completed turn never changes, so an entry holding
 * turns 0…k is exact for as long as it exists; when this worker checkpoints turn k+1 it
 * appends that turn's messages as stored (RETURNING of the checkpoint's own UPDATE), so
 * the next turn of the run here reads nothing. Bounded: least recently used runs drop out.
 */
export class HistoryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxRuns = 1000) {}

  /** The history before turn `turnIndex` of a run (messages_in then messages_out per completed turn). */
  async load(q: Queryable, runId: string, turnIndex: number): Promise<unknown[]> {
    let entry = this.entries.get(runId);
    if (entry && entry.through >= turnIndex) entry = undefined; // cannot happen with ordered turns; reload to be safe
    // A run's first turn has no history: nothing to ask the database (most runs are a few turns long).
    if (!entry && turnIndex === 0) entry = { through: -1, messages: [] };
    if (!entry || entry.through < turnIndex - 1) {
      const after = entry?.through ?? -1;
      const rows = await q
        .select({ index: turns.index, messagesIn: turns.messagesIn, messagesOut: turns.messagesOut })
        .from(turns)
        .where(
          and(
            eq(turns.runId, runId),
            eq(turns.status, "completed"),
            gt(turns.index, after),
            lt(turns.index, turnIndex),
          ),
        )
        .orderBy(asc(turns.index));
      entry = { through: after, messages: entry ? entry.messages : [] };
      for (const r of rows) {
        entry.messages.push(...r.messagesIn, ...(r.messagesOut ?? []));
        entry.through = r.index;
      }
    }
    this.touch(runId, entry);
    return [...entry.messages];
  }

  /** After a committed checkpoint of turn `turnIndex`: its messages as stored. */
  completed(runId: string, turnIndex: number, messages: readonly unknown[]): void {
    const entry = this.entries.get(runId);
    if (!entry || entry.through !== turnIndex - 1) {
      this.entries.delete(runId);
      return;
    }
    entry.messages.push(...messages);
    entry.through = turnIndex;
    this.touch(runId, entry);
  }

  /** A run that left this worker for good (finished) needs no history any more. */
  forget(runId: string): void {
    this.entries.delete(runId);
  }

  private touch(runId: string, entry: Entry): void {
    this.entries.delete(runId);
    this.entries.set(runId, entry);
    while (this.entries.size > this.maxRuns) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
