import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { liveFlashcardStates } from "@/db/schema";
import { notifyLive } from "@/lib/live/channel";
import { releaseRunLocks } from "@/lib/memory/locks";

/**
 * What a finishing run leaves behind, settled in one round trip unless it holds shared-memory locks:
 * nobody can act on a decision for a finished run, so its pending approvals and its approval
 * flashcards are withdrawn; its locks are released and the next waiters woken (releaseRunLocks).
 * transitionRun calls it before the run's UPDATE, which locks the key's counters row until commit.
 */
export async function settleRunLeftovers(tx: Tx, runId: string, why: string): Promise<void> {
  const live = sql.join(
    liveFlashcardStates.map((s) => sql`${s}`),
    sql`, `,
  );
  const [row] = rowsOf<{ card: string | null; locked: boolean | string }>(
    await tx.execute(sql`
      with approvals_withdrawn as (
        update approvals set status = 'withdrawn', decided_at = now(), note = ${why}
        where run_id = ${runId} and status = 'pending'
        returning 1
      ),
      cards_withdrawn as (
        update flashcards
        set state = 'withdrawn', decided_at = now(), decision_reason = ${why}, snoozed_until = null, updated_at = now()
        where run_id = ${runId} and kind = 'approval' and state in (${live})
        returning id
      )
      select (select count(*) from approvals_withdrawn) as approvals,
        (select id from cards_withdrawn limit 1) as card,
        exists (select 1 from memory_locks where run_id = ${runId}) as locked`),
  );
  // Notify only when a card actually closed: every terminal transition comes through here.
  if (row?.card) await notifyLive(tx, "flashcard", row.card);
  if (row?.locked === true || row?.locked === "t") await releaseRunLocks(tx, runId);
}
