import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { appendAudit, auditEventBySeq, inclusionProof, sealBatch, startAuditSealer, verifyAuditLog } from "@/lib/audit";
import { latestCheckpoint } from "@/lib/audit/tree-store";
import { rfcLeafHash, rfcVerifyInclusion } from "@/tests/audit/rfc9162";
import { sampleAuditInput } from "@/tests/audit/fixtures";

const WRITERS = 16;
const EVENTS_PER_WRITER = 500;
const rollsBack = (writer: number, i: number) => (writer * 31 + i) % 9 === 0;

class IntendedRollback extends Error {}

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
});

describe("concurrent writers", () => {
  it(`${WRITERS} writers × ${EVENTS_PER_WRITER} events with rollbacks, sealed while they write: every committed event sealed exactly once, gapless`, async () => {
    const committed = new Set<string>();
    // Two sealers, as two instances would run: the sealer lock lets one seal at a time.
    const sealers = [startAuditSealer(handle, { intervalMs: 50 }), startAuditSealer(handle, { intervalMs: 50 })];
    const writer = async (w: number) => {
      for (let i = 0; i < EVENTS_PER_WRITER; i += 1) {
        try {
          await handle.db.transaction(async (tx) => {
            await appendAudit(tx, sampleAuditInput({ action: "load.write", payload: { w, i } }));
            // the change the event records fails after the event was written
            if (rollsBack(w, i)) throw new IntendedRollback();
          });
          committed.add(`${w}:${i}`);
        } catch (error) {
          if (!(error instanceof IntendedRollback)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    await sealers[0]?.drain();
    await Promise.all(sealers.map((s) => s.stop()));

    let expectedRollbacks = 0;
    for (let w = 0; w < WRITERS; w += 1) {
      for (let i = 0; i < EVENTS_PER_WRITER; i += 1) if (rollsBack(w, i)) expectedRollbacks += 1;
    }
    const total = WRITERS * EVENTS_PER_WRITER - expectedRollbacks;
    expect(expectedRollbacks).toBeGreaterThan(0);
    expect(committed.size).toBe(total);

    expect(await verifyAuditLog(handle.db, { batchSize: 500, anchorDir: null })).toMatchObject({
      ok: true,
      checked: total,
      firstBadSeq: null,
      problem: null,
      treeSize: total,
      unsealed: 0,
    });
    const head = await latestCheckpoint(handle.db);
    if (!head) throw new Error("no checkpoint");
    for (const seq of [1, 2, 777, total - 1, total]) {
      const event = await auditEventBySeq(handle.db, seq);
      const proof = await inclusionProof(handle.db, seq);
      expect(
        rfcVerifyInclusion(
          seq - 1,
          total,
          rfcLeafHash(event?.canonical ?? ""),
          proof.hashes.map((h) => Buffer.from(h, "base64")),
          head.rootHash,
        ),
      ).toBe(true);
    }

    const [stats] = rowsOf<{
      n: string | number;
      lo: string | number;
      hi: string | number;
      distinct_seq: string | number;
    }>(
      await handle.db.execute(
        sql`select count(*) as n, min(seq) as lo, max(seq) as hi, count(distinct seq) as distinct_seq from audit_log`,
      ),
    );
    expect([stats?.n, stats?.lo, stats?.hi, stats?.distinct_seq].map(Number)).toEqual([total, 1, total, total]);

    const stored = rowsOf<{ w: number; i: number }>(
      await handle.db.execute(sql`select (payload->>'w')::int as w, (payload->>'i')::int as i from audit_events`),
    ).map((r) => `${r.w}:${r.i}`);
    expect(new Set(stored).size).toBe(stored.length);
    expect(new Set(stored)).toEqual(committed);
    // ~30 s alone on PGlite, which runs the 8,000 transactions one at a time; the margin
    // is for a loaded CI machine running other test files beside this one.
  }, 180_000);
});

describe("sealer batches", () => {
  it("on embedded PGlite a backlog is sealed in short batches (its one thread is shared), on Postgres in one", async () => {
    const { PGLITE_BATCH } = await import("@/lib/audit/sealer");
    const db = await createTestDatabase();
    try {
      await db.db.transaction(async (tx) => {
        for (let i = 0; i < 1_300; i += 1)
          await appendAudit(tx, sampleAuditInput({ action: "load.backlog", payload: { i } }));
      });
      const sealer = startAuditSealer(db, { intervalMs: 50 });
      await sealer.drain();
      await sealer.stop();
      const sizes = rowsOf<{ n: number | string }>(
        await db.db.execute(sql`select tree_size as n from audit_checkpoints order by tree_size`),
      ).map((r) => Number(r.n));
      const batches = sizes.map((n, i) => n - (sizes[i - 1] ?? 0)).filter((n) => n > 0);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(1_300);
      if (db.kind === "pglite") {
        expect(Math.max(...batches)).toBeLessThanOrEqual(PGLITE_BATCH);
        expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(1_300 / PGLITE_BATCH));
      } else {
        expect(batches).toEqual([1_300]);
      }
    } finally {
      await db.drop();
    }
  });

  it("never fails a batch when instances seal at once: each reads the tree the batch that freed the lock left", async () => {
    const db = await createTestDatabase();
    try {
      await db.db.transaction(async (tx) => {
        for (let i = 0; i < 600; i += 1)
          await appendAudit(tx, sampleAuditInput({ action: "load.race", payload: { i } }));
      });
      const failures: string[] = [];
      const sealed = async () =>
        Number(rowsOf<{ n: number | string }>(await db.db.execute(sql`select count(seq) as n from audit_log`))[0]?.n);
      // One-event batches from four loops contend for the sealer lock hundreds of times (on Postgres;
      // PGlite has one connection, so there the loops take turns and this only checks the batches).
      const loop = async () => {
        while ((await sealed()) < 600) {
          try {
            await sealBatch(db.db, { maxEvents: 1 });
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
          }
        }
      };
      await Promise.all([loop(), loop(), loop(), loop()]);
      expect(failures).toEqual([]);
      expect((await verifyAuditLog(db.db)).ok).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
