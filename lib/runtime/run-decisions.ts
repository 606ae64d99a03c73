import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { pgBool, rowsOf } from "@/db/rows";
import { sqlTextArray } from "@/db/text-array";
import { liveFlashcardStates } from "@/db/schema";
import { notifyLive } from "@/lib/live/channel";

/**
 * A finishing run's open decisions, in one round trip: nobody can act on a decision for a finished
 * run, so its pending approvals and its approval flashcards are withdrawn. Answers whether the run
 * holds shared-memory locks: the caller releases them (releaseRunLocks) after the run's UPDATE.
 * The key's counters row is locked at commit (drizzle/0032), after every entity lock, and no
 * transaction waits for an entity's lock while it holds a key's row.
 */
export async function withdrawRunDecisions(tx: Tx, runId: string, why: string): Promise<{ holdsMemoryLocks: boolean }> {
  // flightdeck_withdraw_run_decisions (drizzle/0031_checkpoint_functions.sql).
  const [row] = rowsOf<{ card: string | null; locked: boolean | string }>(
    await tx.execute(sql`
      select card, locked from flightdeck_withdraw_run_decisions(${runId}, ${why}, ${sqlTextArray(liveFlashcardStates)})`),
  );
  // Notify only when a card actually closed: every terminal transition comes through here.
  if (row?.card) await notifyLive(tx, "flashcard", row.card);
  return { holdsMemoryLocks: pgBool(row?.locked) };
}
