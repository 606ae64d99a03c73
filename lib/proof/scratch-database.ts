import "server-only";
import { randomBytes } from "node:crypto";
import { cpSync, rmSync } from "node:fs";
import postgres from "postgres";
import { openPglite, openPostgres, type DatabaseHandle } from "@/db/client";
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
  const scratch = await openScratchDatabase({ serverUrl, prefix: options.prefix, poolSize: options.poolSize });
  try {
    return await run(scratch.handle, scratch.url ?? serverUrl);
  } finally {
    await scratch.drop();
  }
}

/** A migrated scratch database: embedded PGlite (in memory, or in a directory) or a new database on a server. */
export interface ScratchDatabase {
  handle: DatabaseHandle;
  kind: "pglite" | "postgres";
  /** Postgres URL of the scratch database (postgres only). */
  url?: string;
  /** PGlite's directory (pglite in a directory only). */
  dir?: string;
  /**
   * Closes this database and opens a byte-for-byte copy of it (a new Postgres database made
   * from it as template, or a copy of the PGlite directory); the original stays untouched.
   */
  closeAndCopy(): Promise<ScratchDatabase>;
  /** Closes it and leaves it in place (`npm run proof -- --keep`). */
  close(): Promise<void>;
  /** Closes and removes it. */
  drop(): Promise<void>;
}

/** closeAndCopy closes the handle and drop closes it again: the second call is a no-op. */
function closeOnce(handle: DatabaseHandle): () => Promise<void> {
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
}

const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex")}`;

export async function openScratchDatabase(options: {
  /** A Postgres server (any database on it); unset: embedded PGlite. */
  serverUrl?: string;
  /** PGlite's directory (needed for closeAndCopy); unset: in memory. */
  pgliteDir?: string;
  prefix: string;
  poolSize: number;
}): Promise<ScratchDatabase> {
  if (options.serverUrl) return postgresScratch(options.serverUrl, unique(options.prefix), options.poolSize, null);
  return pgliteScratch(options.pgliteDir);
}

async function pgliteScratch(dir: string | undefined, migrate = true): Promise<ScratchDatabase> {
  const handle = await openPglite(dir);
  if (migrate) await runMigrations(handle);
  const close = closeOnce(handle);
  return {
    handle,
    kind: "pglite",
    ...(dir ? { dir } : {}),
    async closeAndCopy() {
      if (!dir) throw new Error("an in-memory PGlite database cannot be copied; give it a directory");
      await close();
      const copy = `${dir}-copy-${randomBytes(3).toString("hex")}`;
      cpSync(dir, copy, { recursive: true });
      return pgliteScratch(copy, false);
    },
    close,
    async drop() {
      await close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresScratch(
  serverUrl: string,
  name: string,
  poolSize: number,
  template: string | null,
): Promise<ScratchDatabase> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ""}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), poolSize);
  const close = closeOnce(handle);
  try {
    if (!template) await runMigrations(handle);
  } catch (error) {
    await close();
    await dropDatabase(serverUrl, name);
    throw error;
  }
  return {
    handle,
    kind: "postgres",
    url: url.toString(),
    async closeAndCopy() {
      // A template database must have no other sessions: close ours first.
      await close();
      return postgresScratch(serverUrl, unique(`${name.slice(0, 40)}_copy`), poolSize, name);
    },
    close,
    async drop() {
      await close();
      await dropDatabase(serverUrl, name);
    },
  };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
