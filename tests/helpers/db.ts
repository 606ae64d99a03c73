import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openPglite, openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * database on the server named by TEST_DATABASE_URL (dropped again by `drop`).
 * The handle also becomes the process-wide database that lib/ code uses.
 */
export interface TestDatabase extends DatabaseHandle {
  /** Postgres URL of the fresh database (postgres mode only), for child processes. */
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(
  options: { install?: boolean; /** Another migrations folder (an older database). */ migrations?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let handle: TestDatabase;
  if (!serverUrl) {
    const h = await openPglite(undefined);
    handle = { ...h, drop: () => h.close() };
  } else {
    const name = `fd_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const h = await openPostgres(url.toString(), 20);
    handle = {
      ...h,
      url: url.toString(),
      async drop() {
        await h.close();
        const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await again.unsafe(`drop database if exists "${name}" with (force)`);
        await again.end();
      },
    };
  }
  await runMigrations(handle, options.migrations);
  if (options.install !== false) setDatabase(handle);
  return handle;
}
