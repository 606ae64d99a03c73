import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { MigrationError, runMigrations } from "./migrate";
import { rowsOf } from "./rows";

const dirs: string[] = [];
let handle: TestDatabase | undefined;
afterAll(async () => {
  await handle?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A migrations folder with one good and one broken migration, as drizzle-kit lays them out. */
function brokenMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fd-migrations-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "meta"));
  writeFileSync(path.join(dir, "9000_good.sql"), "CREATE TABLE probe_good (id int);");
  writeFileSync(
    path.join(dir, "9001_bad.sql"),
    "CREATE TABLE probe_bad (id int);\n--> statement-breakpoint\nALTER TABLE no_such_table ADD COLUMN x int;",
  );
  const entries = [
    { idx: 0, version: "7", when: 1_900_000_000_000, tag: "9000_good", breakpoints: true },
    { idx: 1, version: "7", when: 1_900_000_000_001, tag: "9001_bad", breakpoints: true },
  ];
  writeFileSync(
    path.join(dir, "meta", "_journal.json"),
    JSON.stringify({ version: "7", dialect: "postgresql", entries }),
  );
  return dir;
}

describe("a failing migration", () => {
  it("stops with the SQL error and leaves the failed migration unapplied", async () => {
    handle = await createTestDatabase();
    const error = await runMigrations(handle, brokenMigrations()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/Database migration failed: .*no_such_table/s);
    const tables = rowsOf<{ table_name: string }>(
      await handle.db.execute(sql`select table_name from information_schema.tables where table_name like 'probe_%'`),
    ).map((r) => r.table_name);
    expect(tables).not.toContain("probe_bad");
  });
});
