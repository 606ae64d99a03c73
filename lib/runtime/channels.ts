import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";

/** A run became runnable or changed state: idle workers and open UIs wake up. Payload: run id. */
export const RUNS_CHANNEL = "flightdeck_runs";
/** Hard cancel: the worker holding the run aborts its turn in flight. Payload: run id. */
export const CONTROL_CHANNEL = "flightdeck_control";

/** Inside a transaction the notification is delivered on commit and dropped on rollback. */
export async function notifyRun(q: Queryable, runId: string, channel: string = RUNS_CHANNEL): Promise<void> {
  await q.execute(sql`select pg_notify(${channel}, ${runId})`);
}
