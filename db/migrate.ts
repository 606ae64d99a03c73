import "server-only";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client";
import { rowsOf } from "./rows";

export const migrationsFolder = path.resolve(process.cwd(), "drizzle");

export class MigrationError extends Error {
  constructor(override readonly cause: unknown) {
    super(`Database migration failed: ${describeCause(cause)}`);
    this.name = "MigrationError";
  }
}

/** Applies every committed migration in drizzle/ that the database has not seen yet. */
export async function runMigrations(handle: DatabaseHandle, folder = migrationsFolder): Promise<void> {
  try {
    if (handle.kind === "pglite") {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      // The migrator is typed for the driver-specific database; a pglite handle's db is one.
      await migrate(handle.db as unknown as Parameters<typeof migrate>[0], { migrationsFolder: folder });
    } else {
      // Several instances may start at once: one migrates under a session advisory
      // lock on its own connection while the others wait, then finds nothing to do.
      const { default: postgres } = await import("postgres");
      const { drizzle } = await import("drizzle-orm/postgres-js");
      const { migrate } = await import("drizzle-orm/postgres-js/migrator");
      if (!handle.url) throw new Error("postgres handle without a URL");
      const client = postgres(handle.url, { max: 1, onnotice: () => {} });
      try {
        await client`select pg_advisory_lock(727274)`;
        await migrate(drizzle({ client }), { migrationsFolder: folder });
      } finally {
        await client.end({ timeout: 5 });
      }
    }
  } catch (error) {
    throw new MigrationError(error);
  }
}

/** The tag of the newest migration applied, for /api/health. */
export async function currentMigration(handle: DatabaseHandle): Promise<string | null> {
  const [first] = rowsOf<{ created_at: string }>(
    await handle.db.execute(sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`),
  );
  if (!first) return null;
  const when = Number(first.created_at);
  return (await journalTags()).get(when) ?? String(when);
}

/** The tag of this build's newest migration (what currentMigration answers once it has run). */
export async function expectedMigration(): Promise<string> {
  const tags = await journalTags();
  const newest = Math.max(...tags.keys());
  return tags.get(newest) ?? String(newest);
}

// The journal ships with the build and cannot change under a running process: read it once.
let tagsByWhen: Promise<Map<number, string>> | undefined;

function journalTags(): Promise<Map<number, string>> {
  tagsByWhen ??= import("node:fs/promises")
    .then(({ readFile }) => readFile(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"))
    .then((text) => {
      const journal = JSON.parse(text) as { entries: { tag: string; when: number }[] };
      return new Map(journal.entries.map((e) => [e.when, e.tag]));
    });
  // A failed read is retried on the next call rather than cached.
  tagsByWhen.catch(() => {
    tagsByWhen = undefined;
  });
  return tagsByWhen;
}

/** drizzle wraps the driver error; the SQL error people need is its cause. */
function describeCause(cause: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = cause; e instanceof Error && messages.length < 4; e = e.cause) messages.push(e.message);
  return messages.length > 0 ? messages.join(" — ") : String(cause);
}
