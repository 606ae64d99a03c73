import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { toolQuotas, writeBudgetPerMinute, WRITES_RESOURCE } from "./quotas";
import { acquireWindow } from "./windows";

export type ResourceDecision = { allowed: true } | { allowed: false; resource: string; reason: string };

async function keyOfRun(db: Queryable, runId: string): Promise<string> {
  const [row] = rowsOf<{ key: string }>(await db.execute(sql`select fair_group as key from runs where id = ${runId}`));
  return row?.key ?? "*";
}

/** One call of a tool against its calls-per-minute quota (tool:<name>), if it has one. */
export async function acquireToolCall(db: Queryable, runId: string, tool: string): Promise<ResourceDecision> {
  const quota = toolQuotas().find((q) => q.tool === tool);
  if (!quota) return { allowed: true };
  const scope = quota.perKey ? await keyOfRun(db, runId) : "*";
  if (await acquireWindow(db, quota.resource, scope, 1, quota.callsPerMinute)) return { allowed: true };
  const who = quota.perKey ? ` for key ${scope}` : "";
  return {
    allowed: false,
    resource: quota.resource,
    reason: `${quota.resource}: ${quota.callsPerMinute} calls per minute used${who}`,
  };
}

export type WriteKind = "workspace" | "state" | "memory";

/**
 * THE write-budget charge: one workspace, state or shared-memory write against the
 * fair-share key's writes-per-minute budget (FLIGHTDECK_WRITE_BUDGET_PER_MINUTE).
 */
export async function chargeWrite(db: Queryable, key: string, kind: WriteKind): Promise<ResourceDecision> {
  const limit = writeBudgetPerMinute();
  if (limit === null) return { allowed: true };
  if (await acquireWindow(db, WRITES_RESOURCE, key, 1, limit)) return { allowed: true };
  return {
    allowed: false,
    resource: WRITES_RESOURCE,
    reason: `writes: key ${key} used its ${limit} writes per minute (${kind} write deferred)`,
  };
}

/** chargeWrite for a run (its key is looked up). */
export async function chargeRunWrite(db: Queryable, runId: string, kind: WriteKind): Promise<ResourceDecision> {
  if (writeBudgetPerMinute() === null) return { allowed: true };
  return chargeWrite(db, await keyOfRun(db, runId), kind);
}
