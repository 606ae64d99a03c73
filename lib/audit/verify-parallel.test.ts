import { tmpdir } from "node:os";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { appendAuditEvents, auditKeys, eventMac, sealBatch } from "@/lib/audit";
import { auditEventBySeq } from "@/lib/audit/proofs";
import { sampleAuditInput } from "@/tests/audit/fixtures";
import { verifyAuditLog, verifyRanges } from "@/lib/audit/verify";
import { rangeThreadFiles } from "@/lib/audit/verify-workers";
import { shuffledRanges } from "@/tests/audit/shuffled-ranges";

// 40 events sealed as checkpoints 8, 16, 21, 32 and 40: with ranges of 8 seqs, four
// checkpoints fall exactly on a range boundary and one inside a range. Every case runs
// in this thread and through a source that finishes ranges out of order (as range
// threads do, through the same reordering), so a problem in a later range must still be
// the one named after the earlier ranges were folded. Real range threads (Postgres only)
// run a few cases at the end: they cost ~0.5 s a pool and add only the messaging.
let handle: TestDatabase;
const batchSizes = [1, 3, 8, 100];

beforeAll(async () => {
  handle = await createTestDatabase();
  await handle.db.transaction((tx) =>
    appendAuditEvents(
      tx,
      Array.from({ length: 40 }, (_, i) => sampleAuditInput({ payload: { i: i + 1, note: `event ${i + 1}` } })),
    ),
  );
  for (const maxEvents of [8, 8, 5, 11, 8]) await sealBatch(handle.db, { maxEvents });
  await handle.db.execute(sql`create table audit_events_copy as select * from audit_events`);
});
afterAll(async () => {
  await handle.drop();
});

/** As superuser, with the guards lifted for these statements and restored exactly afterwards. */
async function tamper(...statements: ReturnType<typeof sql>[]): Promise<void> {
  await handle.db.transaction(async (tx: Tx) => {
    await tx.execute(sql`alter table audit_events disable trigger all`);
    for (const statement of statements) await tx.execute(statement);
    const triggers = rowsOf<{ name: string }>(
      await tx.execute(
        sql`select tgname as name from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal`,
      ),
    );
    for (const t of triggers) await tx.execute(sql.raw(`alter table audit_events enable always trigger ${t.name}`));
  });
}

afterEach(async () => {
  await tamper(sql`delete from audit_events`, sql`insert into audit_events select * from audit_events_copy`);
});

/** In this thread, then twice with ranges finished out of order: the three must agree on every field. */
async function verifyAll(expected: Record<string, unknown>): Promise<void> {
  for (const batchSize of batchSizes) {
    const options = { anchorDir: null, batchSize };
    const local = await verifyAuditLog(handle.db, { ...options, threads: 0 });
    expect(local, `ranges of ${batchSize}`).toMatchObject(expected);
    for (const ahead of [2, 6]) {
      const shuffled = await verifyRanges(handle.db, options, shuffledRanges(handle.db, { ahead }));
      expect(shuffled, `ranges of ${batchSize} out of order, ${ahead} ahead`).toEqual(local);
    }
  }
}

describe("verification in ranges, folded in seq order", () => {
  it("verifies the intact log whatever the range size", async () => {
    await verifyAll({ ok: true, checked: 40, firstBadSeq: null, problem: null, treeSize: 40 });
  });

  it("names a MAC failure in a later range, after the checkpoint inside an earlier one matched", async () => {
    await tamper(
      sql`update audit_events set payload = '{"i": 30, "note": "forged"}' where id in (select event_id from audit_seqs where seq = 30)`,
    );
    await verifyAll({ ok: false, checked: 29, firstBadSeq: 30, problem: "mac", treeSize: 21 });
  });

  it("names the earliest of two problems in different ranges", async () => {
    await tamper(
      sql`update audit_events set payload = '{"i": 37, "note": "forged"}' where id in (select event_id from audit_seqs where seq = 37)`,
      sql`delete from audit_events where id in (select event_id from audit_seqs where seq = 26)`,
    );
    await verifyAll({ ok: false, checked: 25, firstBadSeq: 26, problem: "gap", treeSize: 21 });
  });

  it("names a gap where a whole range is missing, and where a range lost only its last seq", async () => {
    await tamper(
      sql`delete from audit_events where id in (select event_id from audit_seqs where seq between 17 and 24)`,
    );
    await verifyAll({ ok: false, checked: 16, firstBadSeq: 17, problem: "gap", treeSize: 16 });
    await tamper(
      sql`insert into audit_events select c.* from audit_events_copy c join audit_seqs s on s.event_id = c.id where s.seq between 17 and 23`,
    );
    await verifyAll({ ok: false, checked: 23, firstBadSeq: 24, problem: "gap", treeSize: 21 });
  });

  it("names a gap before the last rows of the log", async () => {
    await tamper(
      sql`delete from audit_events where id in (select event_id from audit_seqs where seq between 33 and 39)`,
    );
    await verifyAll({ ok: false, checked: 32, firstBadSeq: 33, problem: "gap", treeSize: 32 });
  });

  it("names the checkpoint on a range boundary that no longer matches a re-MACed event", async () => {
    const event = await auditEventBySeq(handle.db, 12);
    const [row] = rowsOf<{ nonce: string }>(await handle.db.execute(sql`select nonce from audit_log where seq = 12`));
    if (!event || !row) throw new Error("seq 12 missing");
    const payload = { i: 12, note: "rewritten with the key" };
    const mac = eventMac(auditKeys().macKey, row.nonce, { ...event, payload });
    await tamper(
      sql`update audit_events set payload = ${JSON.stringify(payload)}::jsonb, mac = ${mac} where id in (select event_id from audit_seqs where seq = 12)`,
    );
    await verifyAll({ ok: false, checked: 15, firstBadSeq: 9, problem: "checkpoint", treeSize: 16 });
  });

  it("names a bad MAC in an earlier range though a later range's source failed first", async () => {
    await tamper(
      sql`update audit_events set payload = '{"i": 10, "note": "forged"}' where id in (select event_id from audit_seqs where seq = 10)`,
    );
    // Ranges of one seq: seq 10's range finishes last, seq 11's fails at once (as a thread's
    // error reply would), yet the fold must reach seq 10 and name it.
    const ranges = shuffledRanges(handle.db, {
      ahead: 4,
      delay: (range) => (range.upTo === 10 ? 30 : 0),
      fail: (range) => (range.upTo === 11 ? new Error("range 11 failed") : null),
    });
    expect(await verifyRanges(handle.db, { anchorDir: null, batchSize: 1 }, ranges)).toMatchObject({
      ok: false,
      checked: 9,
      firstBadSeq: 10,
      problem: "mac",
    });
    // Reaching the failed range raises its error.
    await tamper(
      sql`delete from audit_events where id in (select event_id from audit_seqs where seq = 10)`,
      sql`insert into audit_events select c.* from audit_events_copy c join audit_seqs s on s.event_id = c.id where s.seq = 10`,
    );
    await expect(verifyRanges(handle.db, { anchorDir: null, batchSize: 1 }, ranges)).rejects.toThrow("range 11 failed");
  });

  it("verifies in its own thread where the range threads' files are not beside it (a bundle)", () => {
    expect(rangeThreadFiles()).not.toBeNull();
    expect(rangeThreadFiles("file:///nowhere/.next/server/chunks/verify.js")).toBeNull();
  });
});

/** Connections of range threads to this test's database still open. */
async function rangeBackends(): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await handle.db.execute(
      sql`select count(*) as n from pg_stat_activity where datname = current_database() and application_name = 'flightdeck-audit-verify'`,
    ),
  );
  return Number(row?.n ?? 0);
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("with range threads on Postgres (ranges of 8, 3 threads)", () => {
  const threaded = () => verifyAuditLog(handle.db, { anchorDir: null, batchSize: 8, url: handle.url, threads: 3 });
  const local = () => verifyAuditLog(handle.db, { anchorDir: null, batchSize: 8, threads: 0 });

  it("verifies the intact log, the threads started from another working directory", async () => {
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      expect(await threaded()).toMatchObject({ ok: true, checked: 40, firstBadSeq: null, treeSize: 40 });
    } finally {
      process.chdir(cwd);
    }
  });

  it("names a MAC failure in a later thread's range as the in-thread walk does", async () => {
    await tamper(
      sql`update audit_events set payload = '{"i": 30, "note": "forged"}' where id in (select event_id from audit_seqs where seq = 30)`,
    );
    const result = await threaded();
    expect(result).toMatchObject({ ok: false, checked: 29, firstBadSeq: 30, problem: "mac", treeSize: 21 });
    expect(result).toEqual(await local());
  });

  it("closes every thread's connection when it returns at an early bad seq", async () => {
    await tamper(
      sql`update audit_events set payload = '{"i": 3, "note": "forged"}' where id in (select event_id from audit_seqs where seq = 3)`,
    );
    expect(await threaded()).toMatchObject({ ok: false, firstBadSeq: 3, problem: "mac" });
    // A backend's row leaves pg_stat_activity a moment after its client has gone.
    for (let tries = 0; tries < 40 && (await rangeBackends()) > 0; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await rangeBackends()).toBe(0);
  });
});
