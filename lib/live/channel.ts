import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";

/**
 * Changes only the cockpit's live stream cares about (workers do not listen here, so these
 * wake no claim loop). Payload `<kind>:<id>`; ids only, never data: the browser refetches
 * through the authorized APIs. Run state changes go on flightdeck_runs (lib/runtime/channels.ts).
 */
export const LIVE_CHANNEL = "flightdeck_live";

/** What a live event names: the browser maps each kind to the queries it refetches. */
export type LiveKind = "run" | "flashcard" | "resources";

/**
 * Inside a transaction the notification goes out on commit and is dropped on rollback;
 * Postgres also folds identical notifications of one transaction into one, so calling
 * this once per changed row of a batch costs one message per distinct payload.
 */
export async function notifyLive(q: Queryable, kind: LiveKind, id = ""): Promise<void> {
  await q.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${`${kind}:${id}`})`);
}
