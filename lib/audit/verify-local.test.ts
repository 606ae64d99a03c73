import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Queryable } from "@/db/client";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { appendAuditEvents, auditKeys, sealBatch } from "@/lib/audit";
import { verifyRanges } from "@/lib/audit/verify";
import { localChunks } from "@/lib/audit/verify-local";
import { sampleAuditInput } from "@/tests/audit/fixtures";

let handle: TestDatabase;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  handle = await createTestDatabase();
  await handle.db.transaction((tx) =>
    appendAuditEvents(
      tx,
      Array.from({ length: 4 }, (_, i) => sampleAuditInput({ payload: { i } })),
    ),
  );
  await sealBatch(handle.db);
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await handle.drop();
});
afterEach(() => {
  expect(unhandled.splice(0)).toEqual([]);
});

/** The test database, except that its second query fails (the read ahead of range 2). */
function failingSecondRead(error: Error): Queryable {
  let calls = 0;
  const db = handle.db;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "execute") return Reflect.get(target, property, receiver);
      return (...args: Parameters<typeof db.execute>) => {
        calls += 1;
        return calls === 2 ? Promise.reject(error) : db.execute(...args);
      };
    },
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("verify's in-thread ranges", () => {
  it("raises a failed read-ahead when its range is reached, never as an unhandled rejection", async () => {
    const error = new Error("second read failed");
    const chunks = localChunks(failingSecondRead(error), 4, 2, auditKeys().macKey);
    expect((await chunks.next()).value).toMatchObject({ after: 0, count: 2 });
    // The read of range 2 has failed while range 1 was being folded.
    await pause(20);
    await expect(chunks.next()).rejects.toThrow(error);
  });

  it("rejects verify with that error", async () => {
    const error = new Error("second read failed");
    const db = failingSecondRead(error);
    const ranges = (maxSeq: number, chunkSize: number, macKey: Buffer) => localChunks(db, maxSeq, chunkSize, macKey);
    await expect(verifyRanges(handle.db, { anchorDir: null, batchSize: 2 }, ranges)).rejects.toThrow(error);
    await pause(20);
  });
});
