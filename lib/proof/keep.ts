import "server-only";
import { cpSync } from "node:fs";
import path from "node:path";
import { openPglite, openPostgres, type DatabaseHandle } from "@/db/client";
import { startAuditSealer } from "@/lib/audit";
import { insertDemoUsers, isDefaultDemoPassword } from "@/lib/auth/seed-demo";
import { getEnv } from "@/lib/env";
import type { Logger } from "@/lib/log";
import { setAnchorDir } from "./environment";
import { cockpitCommand, dropCommand, type KeptDatabase, type KeptPlace } from "./kept-commands";
import type { ScratchDatabase } from "./scratch-database";

/** One cockpit port per kept database, beside a cockpit already on the default 3000. */
const PORTS = { contention: 3001, audit: 3002 } as const;

/**
 * Leaves a scratch database in place for a cockpit (`npm run proof -- --keep`): closes the
 * proof's handle, opens it again on a fresh connection — as the cockpit will — and seeds the
 * demo users the way first start does (the proof acts as principals, never as users, so
 * nobody could sign in), seals their audit events into the proof's log and anchors the new
 * checkpoint, and puts a copy of the proof's audit keys in the database's data directory.
 * Done after every measurement, so none of it is in the report's figures.
 */
export async function keepDatabase(
  scratch: ScratchDatabase,
  options: {
    name: KeptDatabase["name"];
    tests: KeptDatabase["tests"];
    dataDir: string;
    keyDir: string;
    serverUrl: string | undefined;
    logger: Logger;
  },
): Promise<KeptDatabase> {
  await scratch.close();
  const handle = await reopen(scratch);
  let users: { email: string; role: string }[];
  try {
    const seeded = await insertDemoUsers(
      handle.db,
      "npm run proof -- --keep: a kept proof database, so a reviewer can sign in",
    );
    if (!seeded.seeded) throw new Error(`the kept ${options.name} database already has users`);
    users = seeded.users;
    setAnchorDir(path.join(options.dataDir, "anchors"));
    const sealer = startAuditSealer(handle, {
      log: (level, message, fields) => options.logger(level, `audit sealer: ${message}`, fields),
    });
    await sealer.drain();
    await sealer.stop();
  } finally {
    await handle.close();
  }
  cpSync(options.keyDir, path.join(options.dataDir, "audit-keys"), { recursive: true });
  const place: KeptPlace = {
    kind: scratch.kind,
    dataDir: options.dataDir,
    database: scratch.kind === "postgres" && scratch.url ? new URL(scratch.url).pathname.slice(1) : null,
    port: PORTS[options.name],
  };
  const form = { serverUrl: options.serverUrl, mask: true };
  return {
    name: options.name,
    tests: options.tests,
    ...place,
    signIn: { users, password: isDefaultDemoPassword() ? getEnv().FLIGHTDECK_DEMO_PASSWORD : null },
    open: cockpitCommand(place, form),
    drop: dropCommand(place, form),
  };
}

function reopen(scratch: ScratchDatabase): Promise<DatabaseHandle> {
  if (scratch.kind === "postgres" && scratch.url) return openPostgres(scratch.url, 2);
  if (scratch.kind === "pglite" && scratch.dir) return openPglite(scratch.dir);
  throw new Error("only a database in a directory or on a server can be kept");
}
