import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { runState } from "@/db/schema";

export const STATE_KEY = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const MAX_STATE_VALUE_BYTES = 64 * 1024;

/** The run's key-value namespace: every query is keyed by the run, so no run reads another's keys. */
export async function stateGet(db: Queryable, runId: string, key: string): Promise<{ found: boolean; value: unknown }> {
  const [row] = await db
    .select({ value: runState.value })
    .from(runState)
    .where(and(eq(runState.runId, runId), eq(runState.key, key)));
  return row ? { found: true, value: row.value } : { found: false, value: null };
}

export async function stateSet(db: Queryable, runId: string, key: string, value: unknown): Promise<void> {
  await db
    .insert(runState)
    .values({ runId, key, value })
    .onConflictDoUpdate({
      target: [runState.runId, runState.key],
      set: { value: sql`excluded.value`, updatedAt: sql`now()` },
    });
}

export async function stateKeys(db: Queryable, runId: string): Promise<string[]> {
  const rows = await db.select({ key: runState.key }).from(runState).where(eq(runState.runId, runId));
  return rows.map((r) => r.key).sort();
}
