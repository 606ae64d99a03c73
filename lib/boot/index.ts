import "server-only";
import { EnvError, getEnv } from "@/lib/env";
import { getDatabase } from "@/db/client";
import { MigrationError, runMigrations } from "@/db/migrate";
import { bootState } from "./state";

/**
 * Start-up, in order: validate the environment, open the database, migrate. Any
 * failure is printed with what to fix and stops the process: a half-booted cockpit
 * that serves errors is worse than one that refuses to start.
 */
export async function boot(): Promise<void> {
  const started = performance.now();
  const env = getEnv();
  const handle = await getDatabase();
  await runMigrations(handle);
  const state = bootState();
  state.embeddedRuntime = env.FLIGHTDECK_EMBEDDED_RUNTIME;
  state.bootMs = Math.round(performance.now() - started);
  log(`ready on ${handle.kind === "pglite" ? `embedded PGlite (${env.FLIGHTDECK_DATA_DIR})` : "Postgres"} in ${state.bootMs} ms`);
}

export async function bootOrExit(): Promise<void> {
  try {
    await boot();
  } catch (error) {
    if (error instanceof EnvError || error instanceof MigrationError) {
      console.error(`[flightdeck] ${error.message}`);
    } else {
      console.error("[flightdeck] start-up failed:", error);
    }
    process.exit(1);
  }
}

function log(message: string): void {
  console.log(`[flightdeck] ${message}`);
}
