import { existsSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openScratchDatabase } from "@/lib/proof";
import { proofDirs } from "@/lib/proof/environment";
import { releaseScratch } from "@/lib/proof/release";
import { databasesNamed } from "./kept";

/**
 * Without --keep the proof leaves nothing: its directories are temporary and each test's
 * database is removed as the test lets go of it — the path every run without --keep takes
 * (tests/proof/proof.test.ts runs the proof with --keep, where nothing measured differs).
 */
describe("npm run proof without --keep", () => {
  it("puts nothing under the output directory and removes each scratch database and its temporary directory", async () => {
    const serverUrl = process.env.TEST_DATABASE_URL;
    const dirs = proofDirs(null);
    expect(dirs.kept).toBeNull();
    expect(dirs.pgliteDirs.contention).toBeUndefined();
    for (const dir of [dirs.keyDir, dirs.anchorDirs.contention, dirs.anchorDirs.isolation, dirs.pgliteDirs.isolation])
      expect(dir.startsWith(dirs.root)).toBe(true);
    const scratch = await openScratchDatabase({
      serverUrl,
      pgliteDir: dirs.pgliteDirs.isolation,
      prefix: "proof_release_test",
      poolSize: 2,
    });
    await scratch.handle.db.execute(sql`select 1`);
    const name = scratch.url ? new URL(scratch.url).pathname.slice(1) : null;
    if (serverUrl && name) expect(await databasesNamed(serverUrl, name)).toEqual([name]);
    await releaseScratch(scratch, null);
    dirs.remove();
    if (serverUrl && name) expect(await databasesNamed(serverUrl, name)).toEqual([]);
    expect(existsSync(dirs.pgliteDirs.isolation)).toBe(false);
    expect(existsSync(dirs.root)).toBe(false);
  }, 30_000);
});
