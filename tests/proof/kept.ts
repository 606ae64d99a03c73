import postgres from "postgres";
import { openPglite, openPostgres, type DatabaseHandle } from "@/db/client";
import { databaseUrl, type KeptDatabase } from "@/lib/proof";

/** A kept database opened as its cockpit would open it: a fresh connection from what the report records. */
export function openKept(kept: KeptDatabase, serverUrl: string | undefined): Promise<DatabaseHandle> {
  if (kept.kind === "pglite") return openPglite(`${kept.dataDir}/pglite`);
  if (!serverUrl || !kept.database) throw new Error("a kept Postgres database needs TEST_DATABASE_URL and its name");
  return openPostgres(databaseUrl(serverUrl, kept.database), 2);
}

/** Databases on the server whose names start with `prefix` (the proof's, and their tampered copies). */
export async function databasesNamed(serverUrl: string, prefix: string): Promise<string[]> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<
      { datname: string }[]
    >`select datname from pg_database where starts_with(datname, ${prefix})`;
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

/** What the reviewer's remove command does to a kept Postgres database (the directory goes with the test's out dir). */
export async function dropKept(serverUrl: string, database: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${database}" with (force)`);
  } finally {
    await admin.end();
  }
}
