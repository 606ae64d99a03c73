import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { currentMigration } from "./migrate";
import { rowsOf } from "./rows";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
});

describe("migrations", () => {
  it("create every table of the schema and report the newest migration", async () => {
    const tables = rowsOf<{ table_name: string }>(
      await handle.db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      ),
    ).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(["user", "session", "account", "audit_events", "api_tokens"]));
    expect(await currentMigration(handle)).toMatch(/^\d{4}_/);
  });
});
