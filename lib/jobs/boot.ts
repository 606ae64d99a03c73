import "server-only";
import type { Db } from "@/db/client";
import { registerJobDefinitions } from "./registry";
import { syncRegistry, type SyncOptions, type SyncResult } from "./sync";

/**
 * Start-up: validate the declarations as a set, make them the in-memory registry and
 * sync the database registry. Throws JobDeclarationError (message names job and field)
 * before anything is written, so the caller prints it and stops.
 */
export async function loadJobRegistry(
  db: Db,
  declarations: readonly unknown[],
  options: SyncOptions = {},
): Promise<SyncResult> {
  const defs = registerJobDefinitions(declarations);
  return syncRegistry(db, defs, undefined, options);
}
