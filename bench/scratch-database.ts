import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openPostgres, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";

/**
 * Runs a benchmark against a freshly created and migrated database on `serverUrl`, and
 * drops it afterwards even when the run fails, so repeated runs leave nothing behind.
 */
export async function withScratchDatabase<T>(
  serverUrl: string,
  options: { prefix: string; poolSize: number },
  run: (handle: DatabaseHandle, url: string) => Promise<T>,
): Promise<T> {
  const name = `${options.prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openPostgres(url.toString(), options.poolSize);
    await runMigrations(handle);
    return await run(handle, url.toString());
  } finally {
    await handle?.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
