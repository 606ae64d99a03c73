import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { turnJournal } from "@/db/schema";
import type { ModelAnswer } from "@/lib/models";
import { assertLease } from "@/lib/tools";

/** What the journal keeps of a model answer: enough to run the same tool calls again. */
export type JournaledAnswer = Pick<ModelAnswer, "text" | "toolCalls" | "usage" | "modelId">;

/** The answer journaled for this turn by an earlier attempt, if any. */
export async function readJournal(db: Db, runId: string, turnIndex: number): Promise<JournaledAnswer | undefined> {
  const [row] = await db
    .select({ answer: turnJournal.answer })
    .from(turnJournal)
    .where(and(eq(turnJournal.runId, runId), eq(turnJournal.turnIndex, turnIndex)));
  if (!row) return undefined;
  const a = row.answer as Partial<JournaledAnswer>;
  if (typeof a.text !== "string" || !Array.isArray(a.toolCalls) || !a.usage) return undefined;
  return {
    text: a.text,
    toolCalls: a.toolCalls,
    usage: a.usage,
    modelId: typeof a.modelId === "string" ? a.modelId : "",
  };
}

/**
 * Stores the model's answer BEFORE any of its tool calls runs, fenced by the lease. When an
 * earlier attempt already journaled this turn, that answer wins and is returned: the turn
 * then runs exactly the calls the first answer asked for.
 */
export async function writeJournal(
  db: Db,
  params: {
    runId: string;
    turnIndex: number;
    attempt: number;
    leaseToken: string | undefined;
    answer: JournaledAnswer;
  },
): Promise<JournaledAnswer> {
  const answer: JournaledAnswer = {
    text: params.answer.text,
    toolCalls: params.answer.toolCalls,
    usage: params.answer.usage,
    modelId: params.answer.modelId,
  };
  const inserted = await db.transaction(async (tx) => {
    await assertLease(tx, params.runId, params.leaseToken || undefined);
    const rows = await tx
      .insert(turnJournal)
      .values({ runId: params.runId, turnIndex: params.turnIndex, attempt: params.attempt, answer: { ...answer } })
      .onConflictDoNothing()
      .returning({ runId: turnJournal.runId });
    return rows.length > 0;
  });
  if (inserted) return answer;
  return (await readJournal(db, params.runId, params.turnIndex)) ?? answer;
}

/** The checkpoint has the turn's messages: the journal entry has served its purpose. */
export async function dropJournal(tx: Tx, runId: string, turnIndex: number): Promise<void> {
  await tx.delete(turnJournal).where(and(eq(turnJournal.runId, runId), eq(turnJournal.turnIndex, turnIndex)));
}
