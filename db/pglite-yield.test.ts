import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openPglite, type DatabaseHandle } from "./client";

let handle: DatabaseHandle | undefined;
beforeAll(async () => {
  handle = await openPglite(undefined);
  await handle.db.execute(sql`create table t (n int)`);
});
afterAll(async () => handle?.close());

function database() {
  if (!handle) throw new Error("no database");
  return handle.db;
}

/**
 * Runs `count` statements back to back and answers how many had finished when a timer, already due when the
 * first one starts, ran its own query.
 */
async function timerLandsAfter(run: () => Promise<unknown>, timerQuery: () => Promise<unknown>, count: number) {
  let done = 0;
  let landedAfter: number | null = null;
  setTimeout(() => void timerQuery().then(() => (landedAfter ??= done)), 0);
  // A zero timeout is due after 1 ms: wait that out, so the timer is due before the first statement.
  const due = performance.now() + 2;
  while (performance.now() < due);
  for (let i = 0; i < count; i++) {
    await run();
    done++;
  }
  // Let a starved timer catch up, so a failure reads "after 200" rather than null.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return landedAfter;
}

describe("embedded PGlite shares its thread", () => {
  it("runs a timer's query between statements a caller issues back to back", async () => {
    const db = database();
    const landed = await timerLandsAfter(
      () => db.execute(sql`select 1`),
      () => db.execute(sql`select 2`),
      200,
    );
    expect(landed).not.toBeNull();
    expect(landed).toBeLessThan(5);
  });

  it("runs a timer's transaction between transactions a caller issues back to back", async () => {
    const db = database();
    const landed = await timerLandsAfter(
      () => db.transaction(async (tx) => tx.execute(sql`insert into t values (1)`)),
      () => db.transaction(async (tx) => tx.execute(sql`insert into t values (2)`)),
      100,
    );
    expect(landed).not.toBeNull();
    expect(landed).toBeLessThan(5);
  });

  it("closes after the queries issued before close, not in front of them", async () => {
    const own = await openPglite(undefined);
    // drizzle's query starts when it is awaited or then'd: start it, then close at once.
    const before = own.db.execute(sql`select 42 as n`).then((result) => result);
    await own.close();
    await expect(before).resolves.toBeDefined();
  });

  // A pin on PGlite's own behaviour, the reason for the yield: if a PGlite release yields by itself, this fails
  // while Flightdeck works, and the yield can go.
  it("(PGlite itself does not: without the yield the timer waits for the whole loop)", async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const raw = await PGlite.create();
    try {
      const landed = await timerLandsAfter(
        () => raw.query("select 1"),
        () => raw.query("select 2"),
        200,
      );
      expect(landed).toBe(200);
    } finally {
      await raw.close();
    }
  });
});
