import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { systemPrincipal } from "@/lib/audit";
import { searchQuery, searchRuns } from "@/lib/board";
import { defineJob, loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime";
import { jobDeclaration } from "@/tests/fixtures/jobs";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { migrationsFolder, runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";

const dirs: string[] = [];
let handle: TestDatabase | undefined;
afterAll(async () => {
  await handle?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** drizzle/ as it was before `tag`: an existing installation about to upgrade. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fd-migrations-"));
  dirs.push(dir);
  cpSync(migrationsFolder, dir, { recursive: true });
  const file = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(file, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  writeFileSync(file, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return dir;
}

describe("the run search index on an existing database", () => {
  it("is built over the runs already there when 0022 is applied", async () => {
    handle = await createTestDatabase({ migrations: migrationsBefore("0022_runs_search_trgm") });
    // Today's code writes the older installation's job and run, and appends their audit events through
    // flightdeck_append_audit (0028, as 0031 defines it), which the older schema's audit table takes as is.
    const [appendFunction] = readFileSync(path.join(migrationsFolder, "0031_checkpoint_functions.sql"), "utf8").split(
      "--> statement-breakpoint",
    );
    await handle.db.execute(sql.raw(appendFunction ?? ""));
    await loadJobRegistry(handle.db, [defineJob(jobDeclaration({ id: "older-job" }))]);
    const run = await handle.db.transaction((tx) =>
      createRun(tx, { jobId: "older-job", input: {}, trigger: { kind: "manual" }, actor: systemPrincipal("t", "t") }),
    );
    const indexes = async () =>
      rowsOf<{ indexname: string }>(
        await handle?.db.execute(sql`select indexname from pg_indexes where tablename = 'runs'`),
      ).map((r) => r.indexname);
    expect(await indexes()).not.toContain("runs_search_trgm_idx");

    await runMigrations(handle);
    expect(await indexes()).toContain("runs_search_trgm_idx");
    const found = await searchRuns(handle.db, searchQuery.parse({ q: "OLDER-j" }));
    expect(found.runs.map((r) => r.id)).toEqual([run.id]);
    // Applying again finds nothing to do.
    await runMigrations(handle);
  });
});
