import "server-only";
import type { DatabaseHandle } from "@/db/client";

/** Session advisory lock key pair ("fd", "cron"); pg_locks shows it as classid/objid. */
const LOCK_CLASS = 0x6664;
const LOCK_OBJECT = 0x63726f6e;

export interface CronLeadership {
  /** True while this instance holds the lock (acquiring it if free). */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Leadership only avoids duplicate work: exactly-once firing comes from the cron_ticks
 * key. The lock lives on a dedicated connection, so it is released when this instance
 * dies or its connection drops, and another instance takes over on its next tick.
 * PGlite is one process: always the leader.
 */
export async function createCronLeadership(handle: DatabaseHandle): Promise<CronLeadership> {
  if (handle.kind === "pglite" || !handle.url) {
    return { acquire: async () => true, release: async () => {} };
  }
  const { default: pg } = await import("pg");
  const url = handle.url;
  let client: InstanceType<typeof pg.Client> | null = null;
  let closed = false;
  // A dead connection (terminated, Postgres restarted) is replaced on the next tick; its
  // session's lock died with it, so leadership is simply contended again.
  const connection = async () => {
    if (client) return client;
    const next = new pg.Client({ connectionString: url, application_name: "flightdeck-cron-leader" });
    next.on("error", () => {
      if (client === next) client = null;
      next.end().catch(() => {});
    });
    await next.connect();
    client = next;
    return next;
  };
  return {
    async acquire() {
      if (closed) return false;
      try {
        const c = await connection();
        // Checked on the connection itself: after a reconnect the old session's lock is gone.
        const held = await c.query<{ held: boolean }>(
          `select exists (
            select 1 from pg_locks
            where locktype = 'advisory' and pid = pg_backend_pid() and granted
              and classid = $1 and objid = $2 and objsubid = 2
          ) as held`,
          [LOCK_CLASS, LOCK_OBJECT],
        );
        if (held.rows[0]?.held) return true;
        const got = await c.query<{ ok: boolean }>("select pg_try_advisory_lock($1, $2) as ok", [
          LOCK_CLASS,
          LOCK_OBJECT,
        ]);
        return got.rows[0]?.ok === true;
      } catch {
        return false;
      }
    },
    async release() {
      if (closed) return;
      closed = true;
      // Closing the session releases the lock; no explicit unlock needed.
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
