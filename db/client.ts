import "server-only";
import path from "node:path";
import { mkdirSync } from "node:fs";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { secureDataDir } from "./data-dir";
import { yieldingPglite } from "./pglite-yield";
import { getEnv } from "@/lib/env";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the database itself or an open transaction. */
export type Queryable = Db | Tx;
export type DbKind = "pglite" | "postgres";

export interface DatabaseHandle {
  kind: DbKind;
  db: Db;
  /** Connection URL for postgres handles (migrations take their own connection). */
  url?: string;
  /** Subscribe to NOTIFY on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (dataDir) secureDataDir(dataDir);
  // pg_trgm backs the runs' text search index (drizzle/0022); CREATE EXTENSION needs it loaded.
  const client = yieldingPglite(await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } }));
  // Files PGlite created on first open: owner-only as well.
  if (dataDir) secureDataDir(dataDir);
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => unsub();
    },
    close: () => client.close(),
  };
}

/**
 * Postgres through node-postgres (pg). postgres.js (the driver before) cannot lose a
 * connection under load: after pg_terminate_backend its pool wrote to a null socket
 * (`uncaughtException ... reading 'write'`, porsager/postgres#1154, #1199, #1208) and then
 * hung every query on the dead connections until the process restarted. pg's pool drops a
 * client whose connection failed and opens a new one; idle-client errors are caught here.
 */
export async function openPostgres(url: string, max = 10): Promise<DatabaseHandle> {
  const { default: pg } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { createListener } = await import("./pg-listener");
  const config = { connectionString: url, application_name: "flightdeck", keepAlive: true };
  const pool = new pg.Pool({ ...config, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // An idle client whose backend died: the pool has already removed it.
  pool.on("error", () => {});
  // A checked-out client whose backend dies between two queries emits "error" too; without a
  // listener that would be an uncaught exception. Its next query fails (retried as transient)
  // and the pool discards it on release.
  pool.on("connect", (client) => client.on("error", () => {}));
  const listener = createListener(config);
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    url,
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async close() {
      await listener.close();
      // A client still checked out (a transaction cut by a fault) must not hold shutdown forever.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pool.end(), new Promise((r) => (timer = setTimeout(r, 5_000)))]);
      clearTimeout(timer);
    },
  };
}

// One handle per process. Kept on globalThis so Next's dev reloads and the several
// module graphs of a production server (instrumentation, routes) share one pool.
const globalKey = Symbol.for("flightdeck.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DatabaseHandle> };
const store = globalThis as GlobalWithDb;

export function getDatabase(): Promise<DatabaseHandle> {
  store[globalKey] ??= (async () => {
    const env = getEnv();
    if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
    return openPglite(path.resolve(env.FLIGHTDECK_DATA_DIR, "pglite"));
  })();
  return store[globalKey];
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Tests point the process at their own isolated database. */
export function setDatabase(handle: DatabaseHandle): void {
  store[globalKey] = Promise.resolve(handle);
}

export async function closeDatabase(): Promise<void> {
  const current = store[globalKey];
  store[globalKey] = undefined;
  if (current) await (await current).close();
}
