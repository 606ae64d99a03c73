import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Queryable } from "@/db/client";
import { HistoryCache } from "@/lib/runtime/history-cache";
import { loadHistory } from "@/lib/runtime/lease";
import { silentLogger } from "@/lib/runtime/log";
import { startWorker } from "@/lib/runtime/worker";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor } from "./fixtures/deterministic-executor";
import { newRun, runtimeDatabase, waitForState } from "./helpers";

let handle: TestDatabase;
let runId: string;
let otherRunId: string;

beforeAll(async () => {
  handle = await runtimeDatabase();
  const worker = await startWorker({
    handle,
    executor: deterministicExecutor(),
    workerId: "w1",
    concurrency: 2,
    pollIntervalMs: 200,
    leaseMs: 5_000,
    logger: silentLogger,
  });
  try {
    runId = (await newRun(handle.db, "scripted", { turns: 3, tokensPerTurn: 10 })).id;
    otherRunId = (await newRun(handle.db, "scripted", { turns: 2, tokensPerTurn: 10 })).id;
    await waitForState(handle.db, runId, ["succeeded"]);
    await waitForState(handle.db, otherRunId, ["succeeded"]);
  } finally {
    await worker.stop();
  }
});
afterAll(async () => {
  await handle.drop();
});

/** A database stand-in that fails the test if the cache goes to the database at all. */
const noDatabase = new Proxy(
  {},
  {
    get() {
      throw new Error("the history cache queried the database");
    },
  },
) as unknown as Queryable;

describe("the worker's history cache", () => {
  it("answers what loadHistory answers, reading only the turns it has not seen", async () => {
    const full = await loadHistory(handle.db, runId);
    expect(full).toHaveLength(6);
    const cache = new HistoryCache();
    // The first turn has nothing before it: no query.
    expect(await cache.load(noDatabase, runId, 0)).toEqual([]);
    expect(await cache.load(handle.db, runId, 1)).toEqual(full.slice(0, 2));
    expect(await cache.load(handle.db, runId, 3)).toEqual(full);
    // Up to date: the same turn again needs nothing from the database.
    expect(await cache.load(noDatabase, runId, 3)).toEqual(full);
  });

  it("after its own checkpoint of the next turn, reads nothing for the turn after", async () => {
    const full = await loadHistory(handle.db, runId);
    const cache = new HistoryCache();
    await cache.load(handle.db, runId, 2);
    cache.completed(runId, 2, full.slice(4));
    expect(await cache.load(noDatabase, runId, 3)).toEqual(full);
    // A checkpoint it did not follow (another worker ran turns in between) is not guessed at.
    cache.completed(runId, 7, ["stray"]);
    expect(await cache.load(handle.db, runId, 3)).toEqual(full);
  });

  it("keeps a bounded number of runs", async () => {
    const cache = new HistoryCache(1);
    await cache.load(handle.db, runId, 3);
    await cache.load(handle.db, otherRunId, 2);
    await expect(cache.load(noDatabase, runId, 3)).rejects.toThrow(/queried the database/);
    expect(await cache.load(noDatabase, otherRunId, 2)).toEqual(await loadHistory(handle.db, otherRunId));
  });
});
