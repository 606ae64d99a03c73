import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { runs, turns } from "@/db/schema";
import { leaseExpiryIn } from "./db-time";

export interface RenewResult {
  /** false: another worker holds the run now (or it left running); stop and write nothing. */
  held: boolean;
  /** An operator asked for a hard cancel; NOTIFY is the fast path, this is the fallback. */
  abortRequested: boolean;
}

/** Heartbeat: extends the lease only while the token still matches (the fence). */
export async function renewLease(
  q: Queryable,
  runId: string,
  leaseToken: string,
  leaseMs: number,
): Promise<RenewResult> {
  const [row] = await q
    .update(runs)
    .set({ leaseExpiresAt: leaseExpiryIn(leaseMs) })
    .where(and(eq(runs.id, runId), eq(runs.leaseToken, leaseToken), eq(runs.state, "running")))
    .returning({ abortRequested: runs.abortRequested });
  return row ? { held: true, abortRequested: row.abortRequested } : { held: false, abortRequested: false };
}

/**
 * The checkpoint a run resumes from: for every completed turn in order, the messages it
 * added (messages_in) followed by the model's answer (messages_out). Executors record in
 * messagesIn only what is new in that turn, not the whole prompt.
 */
export async function loadHistory(q: Queryable, runId: string): Promise<unknown[]> {
  const rows = await q
    .select({ messagesIn: turns.messagesIn, messagesOut: turns.messagesOut })
    .from(turns)
    .where(and(eq(turns.runId, runId), eq(turns.status, "completed")))
    .orderBy(asc(turns.index));
  return rows.flatMap((r) => [...r.messagesIn, ...(r.messagesOut ?? [])]);
}
