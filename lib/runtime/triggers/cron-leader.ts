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
  const { default: postgres } = await import("postgres");
  const sql = postgres(handle.url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: "flightdeck-cron-leader" },
  });
  let closed = false;
  return {
    async acquire() {
      if (closed) return false;
      try {
        // Checked on the connection itself: after a reconnect the old session's lock is gone.
        const [held] = await sql<{ held: boolean }[]>`
          select exists (
            select 1 from pg_locks
            where locktype = 'advisory' and pid = pg_backend_pid() and granted
              and classid = ${LOCK_CLASS} and objid = ${LOCK_OBJECT} and objsubid = 2
          ) as held`;
        if (held?.held) return true;
        const [got] = await sql<{ ok: boolean }[]>`select pg_try_advisory_lock(${LOCK_CLASS}, ${LOCK_OBJECT}) as ok`;
        return got?.ok === true;
      } catch {
        return false;
      }
    },
    async release() {
      if (closed) return;
      closed = true;
      // Closing the session releases the lock; no explicit unlock needed.
      await sql.end({ timeout: 5 });
    },
  };
}
