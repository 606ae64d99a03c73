import { getDatabase, closeDatabase } from "@/db/client";
import { currentMigration, runMigrations } from "@/db/migrate";
import { EnvError } from "@/lib/env";

/** `npm run db:migrate`: apply committed migrations to the configured database. */
async function main(): Promise<void> {
  const handle = await getDatabase();
  await runMigrations(handle);
  console.log(`[flightdeck] migrated ${handle.kind} database to ${await currentMigration(handle)}`);
  await closeDatabase();
}

main().catch((error: unknown) => {
  console.error(`[flightdeck] ${error instanceof EnvError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
