import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { liveFlashcardStates } from "@/db/schema";
import { notifyLive } from "@/lib/live/channel";

/**
 * A finishing run's open decisions, in one round trip: nobody can act on a decision for a finished
 * run, so its pending approvals and its approval flashcards are withdrawn. Answers whether the run
 * holds shared-memory locks: the caller releases them (releaseRunLocks) after the run's UPDATE, so
 * the key's counters row is always locked before an entity's lock. transitionRun calls this before
 * that UPDATE, which locks the key's row until commit.
 */
export async function withdrawRunDecisions(tx: Tx, runId: string, why: string): Promise<{ holdsMemoryLocks: boolean }> {
  const live = sql.join(
    liveFlashcardStates.map((s) => sql`${s}`),
    sql`, `,
  );
  const [row] = rowsOf<{ card: string | null; locked: boolean | string }>(
    await tx.execute(sql`
      with approvals_withdrawn as (
        -- A data-modifying WITH runs to completion whether or not the query reads it.
        update approvals set status = 'withdrawn', decided_at = now(), note = ${why}
        where run_id = ${runId} and status = 'pending'
      ),
      cards_withdrawn as (
        update flashcards
        set state = 'withdrawn', decided_at = now(), decision_reason = ${why}, snoozed_until = null, updated_at = now()
        where run_id = ${runId} and kind = 'approval' and state in (${live})
        returning id
      )
      select (select id from cards_withdrawn limit 1) as card,
        exists (select 1 from memory_locks where run_id = ${runId}) as locked`),
  );
  // Notify only when a card actually closed: every terminal transition comes through here.
  if (row?.card) await notifyLive(tx, "flashcard", row.card);
  return { holdsMemoryLocks: row?.locked === true || row?.locked === "t" };
}
