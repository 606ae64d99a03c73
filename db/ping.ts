import "server-only";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";

/**
 * Whether the database answers a trivial query within timeoutMs. The pool drops dead
 * connections by itself, so "down" turns back into the database kind without a restart
 * once Postgres is reachable again.
 */
export async function pingDatabase(handle: DatabaseHandle, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    return await Promise.race([handle.db.execute(sql`select 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
