import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { schedulingConfig } from "./config";
import { turnCost, type Usage } from "./policy";

/**
 * Charges a claimed turn's ESTIMATED cost to its key (the key's running average of real
 * costs, at least the minimum), so work in flight counts. Returns the estimate.
 */
export async function chargeEstimate(tx: Tx, key: string): Promise<number> {
  const { minTurnCost } = schedulingConfig();
  const [row] = rowsOf<{ estimate: number | string }>(
    await tx.execute(sql`
      update scheduling_keys
      set vtime = vtime + greatest(${minTurnCost}::float8, coalesce(avg_cost, 0)) / weight, updated_at = now()
      where key = ${key}
      returning greatest(${minTurnCost}::float8, coalesce(avg_cost, 0)) as estimate`),
  );
  return row ? Number(row.estimate) : minTurnCost;
}

/**
 * At the checkpoint: corrects the key's virtual time from the estimate to the real cost
 * of the turn and folds the real cost into the key's average. Returns the real cost.
 */
export async function chargeActual(tx: Tx, key: string, estimate: number, usage: Usage): Promise<number> {
  const actual = turnCost(usage, schedulingConfig());
  await tx.execute(sql`
    update scheduling_keys
    set vtime = vtime + (${actual}::float8 - ${estimate}::float8) / weight,
        avg_cost = case when avg_cost is null then ${actual}::float8 else avg_cost * 0.8 + ${actual}::float8 * 0.2 end,
        updated_at = now()
    where key = ${key}`);
  return actual;
}
