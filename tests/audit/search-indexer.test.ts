import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendAuditEvents,
  indexAuditSearchBatch,
  sealBatch,
  searchIndexedThrough,
  startAuditSearchIndexer,
} from "@/lib/audit";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { sampleAuditInput } from "./fixtures";

let handle: TestDatabase;

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
});

async function appendAndSeal(count: number): Promise<void> {
  const events = Array.from({ length: count }, (_, k) => sampleAuditInput({ payload: { k } }));
  await handle.db.transaction((tx) => appendAuditEvents(tx, events));
  while (((await sealBatch(handle.db))?.sealed ?? 0) > 0);
}

async function indexedWithin(ms: number, want: number): Promise<number> {
  const until = Date.now() + ms;
  let through = await searchIndexedThrough(handle.db);
  while (through < want && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 25));
    through = await searchIndexedThrough(handle.db);
  }
  return through;
}

describe("the search indexer's loop", () => {
  it("follows the sealed log on its own, batch after batch while there is a backlog, and stops", async () => {
    await appendAndSeal(35);
    // A minute between batches: only running again at once while batches come back full reaches 35 in time.
    const indexer = startAuditSearchIndexer(handle, { intervalMs: 60_000, maxEvents: 10, log: () => {} });
    try {
      expect(await indexedWithin(5_000, 35)).toBe(35);
    } finally {
      await indexer.stop();
    }
    await appendAndSeal(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(await searchIndexedThrough(handle.db)).toBe(35);

    const again = startAuditSearchIndexer(handle, { intervalMs: 50, maxEvents: 10, log: () => {} });
    try {
      expect(await indexedWithin(5_000, 40)).toBe(40);
      await appendAndSeal(3);
      expect(await indexedWithin(5_000, 43)).toBe(43);
    } finally {
      await again.stop();
    }
  });

  it("never fails a batch when instances index at once: each sees the batch whose commit freed the lock", async () => {
    await appendAndSeal(400);
    const [sealed] = rowsOf<{ n: number | string }>(await handle.db.execute(sql`select max(seq) as n from audit_log`));
    const target = Number(sealed?.n);
    expect(target).toBeGreaterThanOrEqual(400);
    const failures: string[] = [];
    // Tiny batches from three loops contend for the lock hundreds of times (20 connections on Postgres).
    const loop = async () => {
      while ((await searchIndexedThrough(handle.db)) < target) {
        try {
          await indexAuditSearchBatch(handle.db, 1);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    await Promise.all([loop(), loop(), loop()]);
    expect(failures).toEqual([]);
    expect(await searchIndexedThrough(handle.db)).toBe(target);
  });
});
