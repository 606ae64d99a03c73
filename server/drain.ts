import "server-only";
import { closeDatabase } from "@/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";

/**
 * SIGTERM/SIGINT for the Next server process: stop the embedded runtime (stop claiming, let
 * turns finish within FLIGHTDECK_SHUTDOWN_GRACE_MS, hand back the rest), close the pool and
 * exit 0 after one last line saying so. `npm start` sets NEXT_MANUAL_SIG_HANDLE so Next does not
 * exit first; under a bare `next start` Next exits at once and leases expire instead. A second
 * signal exits now.
 */
export function installDrain(stopRuntime: () => Promise<void>): void {
  let draining = false;
  const drain = (signal: string) => {
    if (draining) {
      logger("warn", `${signal} again: exiting now, turns in flight are left to their leases`);
      process.exit(1);
    }
    draining = true;
    const started = Date.now();
    logger(
      "info",
      `${signal}: stopping — no new turns; turns in flight may finish within ${getEnv().FLIGHTDECK_SHUTDOWN_GRACE_MS} ms`,
    );
    stopRuntime()
      .then(() => closeDatabase())
      .then(() => {
        logger(
          "info",
          `Flightdeck stopped cleanly (${signal}): drained in ${Date.now() - started} ms, database closed`,
        );
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger("error", "drain failed", { error: error instanceof Error ? (error.stack ?? error.message) : error });
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => drain("SIGTERM"));
  process.on("SIGINT", () => drain("SIGINT"));
}
