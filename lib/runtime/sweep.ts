import "server-only";
import { and, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runs } from "@/db/schema";
import { runAuthorization, workerActor } from "@/lib/audit";
import { abortStaleTurns } from "./claim";
import { transitionRun } from "./transitions";

/**
 * The wall-clock budget also runs out for runs nobody is working on: waiting for an
 * approval, or running between turns with no worker free. Paused runs are exempt (an
 * operator holds them); they time out at their next claim if resumed past the budget.
 * Returns how many runs were timed out. `endpoints`: only runs of these (the sweeping worker's set).
 */
export async function sweepOverdueRuns(
  db: Db,
  workerId: string,
  limit = 50,
  endpoints?: readonly string[],
): Promise<number> {
  return db.transaction(async (tx) => {
    const overdue = await tx
      .select()
      .from(runs)
      .where(
        and(
          inArray(runs.state, ["running", "waiting"]),
          isNotNull(runs.startedAt),
          sql`${runs.startedAt} + (${runs.budgetWallClockMs} * interval '1 millisecond') < now()`,
          or(isNull(runs.leaseExpiresAt), lt(runs.leaseExpiresAt, sql`now()`)),
          endpoints ? inArray(runs.modelEndpoint, [...endpoints]) : undefined,
        ),
      )
      .limit(limit)
      .for("update", { skipLocked: true });
    for (const run of overdue) {
      await abortStaleTurns(tx, run.id, "wall-clock budget ran out while its worker was gone");
      await transitionRun(tx, run.id, "timed_out", {
        actor: workerActor(workerId),
        authorization: runAuthorization(run),
        reason: "wall_clock",
      });
    }
    return overdue.length;
  });
}
