import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";

/** The usage windows are calendar minutes of the database clock. */
export const WINDOW_MS = 60_000;

/**
 * Takes `amount` from a per-minute limit, atomically across instances: one conditional
 * upsert on (resource, scope, current minute) that only adds when the total stays within
 * the limit (a first request in an empty window is always granted, so one request larger
 * than the limit cannot wait forever). Returns whether it was granted.
 */
export async function acquireWindow(
  db: Queryable,
  resource: string,
  scope: string,
  amount: number,
  limit: number,
): Promise<boolean> {
  const rows = rowsOf<{ used: number | string }>(
    await db.execute(sql`
      insert into resource_windows as w (resource, scope, window_start, used)
      values (${resource}, ${scope}, date_trunc('minute', now()), ${Math.ceil(amount)})
      on conflict (resource, scope, window_start) do update set used = w.used + excluded.used
        where w.used + excluded.used <= ${Math.floor(limit)} or w.used = 0
      returning used`),
  );
  return rows.length > 0;
}

/** Adds (or, negative, gives back) usage in the current window without a limit check. */
export async function adjustWindow(db: Queryable, resource: string, scope: string, delta: number): Promise<void> {
  await db.execute(sql`
    insert into resource_windows as w (resource, scope, window_start, used)
    values (${resource}, ${scope}, date_trunc('minute', now()), greatest(0, ${Math.round(delta)}))
    on conflict (resource, scope, window_start) do update set used = greatest(0, w.used + ${Math.round(delta)})`);
}

/** Usage of a resource in the current window, per scope. */
export async function windowUsage(db: Queryable, resource: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ scope: string; used: number | string }>(
    await db.execute(sql`
      select scope, used from resource_windows
      where resource = ${resource} and window_start = date_trunc('minute', now())`),
  );
  return new Map(rows.map((r) => [r.scope, Number(r.used)]));
}
