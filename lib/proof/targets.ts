import "server-only";
import { randomBytes } from "node:crypto";
import type { DatabaseHandle } from "@/db/client";
import { getEnv } from "@/lib/env";
import { KEPT_NAMES, setAnchorDir, type ProofDirs } from "./environment";
import type { KeptDatabase } from "./kept-commands";
import { openLiveDatabase } from "./live";
import { databaseLabel } from "./machine";
import { releaseScratch } from "./release";
import { openScratchDatabase, type ScratchDatabase } from "./scratch-database";

export type TestDatabaseName = KeptDatabase["name"];

/**
 * Where the tests run: a scratch database each (embedded or on a Postgres server; removed, or
 * kept with --keep), or the one live deployment's database (`--live`).
 */
export interface ProofTarget {
  kind: "scratch" | "live";
  /** Opens a test's database and points the sealer's anchors at its log's directory. */
  open(test: TestDatabaseName): Promise<ScratchDatabase>;
  /** Lets go of a test's database: removed, kept (--keep) or, live, left as the deployment's. */
  release(test: TestDatabaseName, database: ScratchDatabase): Promise<void>;
  /** Where a test's log's checkpoints are anchored (what verification compares with). */
  anchorDir(test: TestDatabaseName): string | undefined;
  /** What the report says about a test's database. */
  label(database: ScratchDatabase): Promise<string>;
  /** Before every fair-share key of test 1: "" on scratch databases, live `proof-<tag>/`. */
  keyPrefix: string;
  /** Live, what tells this proof run's names from an earlier one's (in the signal's idempotency key); "" on scratch. */
  tag: string;
  /** Closes what the target itself holds (live: the deployment's connections). */
  close(): Promise<void>;
}

export function scratchTarget(options: {
  serverUrl: string | undefined;
  dirs: ProofDirs;
  /** With --keep: hands a test's closed database over to be kept; null: removed at once. */
  keep: ((name: TestDatabaseName, database: ScratchDatabase) => void) | null;
}): ProofTarget {
  const { dirs } = options;
  const side = (test: TestDatabaseName) => (test === KEPT_NAMES.contention ? "contention" : "isolation");
  return {
    kind: "scratch",
    keyPrefix: "",
    tag: "",
    async open(test) {
      const database = await openScratchDatabase({
        serverUrl: options.serverUrl,
        pgliteDir: dirs.pgliteDirs[side(test)],
        prefix: test === KEPT_NAMES.contention ? "proof_contention" : "proof_isolation",
        poolSize: 12,
      });
      setAnchorDir(dirs.anchorDirs[side(test)]);
      return database;
    },
    release: (test, database) => {
      const keep = options.keep;
      return releaseScratch(database, keep ? (d) => keep(test, d) : null);
    },
    anchorDir: (test) => dirs.anchorDirs[side(test)],
    label: (database) => databaseLabel(database.handle.db, database.kind, database.dir),
    close: async () => {},
  };
}

/**
 * The deployment's database for every test: opened once (after checking this process holds the
 * deployment's migrations and audit keys), never dropped; its anchors are the deployment's
 * (FLIGHTDECK_AUDIT_ANCHOR_DIR, read from the same environment the deployment runs with).
 */
export async function liveTarget(url: string): Promise<ProofTarget & { handle: DatabaseHandle }> {
  const live = await openLiveDatabase(url, 12);
  const name = new URL(url).pathname.slice(1) || "(default database)";
  const tag = randomBytes(3).toString("hex");
  return {
    kind: "live",
    handle: live.handle,
    keyPrefix: `proof-${tag}/`,
    tag,
    open: async () => live,
    release: async () => {},
    anchorDir: () => getEnv().FLIGHTDECK_AUDIT_ANCHOR_DIR,
    label: (database) =>
      databaseLabel(database.handle.db, "postgres", undefined, `LIVE: the deployment's database "${name}"`),
    close: () => live.drop(),
  };
}
