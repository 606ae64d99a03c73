import "server-only";
import { closeDatabase } from "@/db/client";
import { logger } from "@/lib/log";

/**
 * SIGTERM/SIGINT for the Next server process: stop the embedded runtime (stop claiming, let
 * turns finish within FLIGHTDECK_SHUTDOWN_GRACE_MS, hand back the rest), close the pool and
 * exit 0. `npm start` sets NEXT_MANUAL_SIG_HANDLE so Next does not exit first; under a bare
 * `next start` Next exits at once and leases expire instead. A second signal exits now.
 */
export function installDrain(stopRuntime: () => Promise<void>): void {
  let draining = false;
  const drain = (signal: string) => {
    if (draining) process.exit(1);
    draining = true;
    const started = Date.now();
    logger("info", `${signal}: draining`);
    stopRuntime()
      .then(() => closeDatabase())
      .then(() => {
        logger("info", `drained in ${Date.now() - started} ms`);
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
