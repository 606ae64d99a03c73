import "server-only";
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The embedded database's directory belongs to the user running Flightdeck alone: the
 * data directory and the PGlite directory are created (or tightened to) 0700, and the
 * files PGlite already wrote lose every group/other bit (PGlite creates them 0666 under
 * the usual umask). Other local users cannot list, read or replace the database.
 */
export function secureDataDir(pgliteDir: string): void {
  const dataDir = path.dirname(pgliteDir);
  for (const dir of [dataDir, pgliteDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Only a directory this user owns is tightened (never e.g. a shared /tmp given as the data dir).
    if (statSync(dir).uid === process.getuid?.()) chmodSync(dir, 0o700);
  }
  tighten(pgliteDir);
}

function tighten(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const mode = statSync(full).mode & 0o777;
    if (entry.isDirectory()) {
      if (mode & 0o077) chmodSync(full, mode & 0o700);
      tighten(full);
    } else if (entry.isFile() && mode & 0o077) {
      chmodSync(full, mode & 0o700);
    }
  }
}
