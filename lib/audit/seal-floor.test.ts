import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { appendAuditEvents, auditHealth, sealBatch, startAuditSealer, verifyAuditLog } from "@/lib/audit";
import { auditRowsJson } from "@/lib/audit/append";
import { sampleAuditInput } from "@/tests/audit/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { settleFloor } from "./seal-floor";

describe("settleFloor", () => {
  const pending = [
    { to: 10, xmax: 100n },
    { to: 20, xmax: 110n },
    { to: 30, xmax: 120n },
  ];

  it("moves the floor to the highest coverage whose open transactions have all ended", () => {
    expect(settleFloor(0, pending, { fromFloor: true, scannedTo: 40, xmin: 115n })).toBe(20);
    expect(settleFloor(0, pending, { fromFloor: true, scannedTo: 40, xmin: 120n })).toBe(30);
  });

  it("keeps the floor while a transaction open during every coverage is still open", () => {
    expect(settleFloor(5, pending, { fromFloor: true, scannedTo: 40, xmin: 99n })).toBe(5);
  });

  it("settles nothing the batch did not scan up to, and nothing when it did not start from the floor", () => {
    expect(settleFloor(0, pending, { fromFloor: true, scannedTo: 25, xmin: 200n })).toBe(20);
    expect(settleFloor(0, pending, { fromFloor: false, scannedTo: 40, xmin: 200n })).toBe(0);
  });

  it("never moves the floor down", () => {
    expect(settleFloor(35, pending, { fromFloor: true, scannedTo: 40, xmin: 200n })).toBe(35);
  });
});

const floorOf = async (handle: TestDatabase) =>
  Number(
    rowsOf<{ f: number | string }>(
      await handle.db.execute(sql`select floor_id as f from audit_checkpoints order by tree_size desc limit 1`),
    )[0]?.f ?? 0,
  );

describe("the sealer's floor", () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });

  it("follows the sealed events, so a batch and the health check look only at the newest ids", async () => {
    const sealer = startAuditSealer(handle, { intervalMs: 20 });
    const [first] = rowsOf<{ id: number | string }>(
      await handle.db.execute(sql`select coalesce(max(id), 0) as id from audit_events`),
    );
    let appended = 0;
    // On a shared Postgres server a transaction of another database holds every snapshot's xmin back
    // too (xids are cluster-wide), so the floor is waited for rather than expected after a set number of batches.
    const deadline = Date.now() + 20_000;
    do {
      await handle.db.transaction((tx) => appendAuditEvents(tx, [sampleAuditInput({ payload: { appended } })]));
      appended += 1;
      await new Promise((resolve) => setTimeout(resolve, 60));
    } while ((appended < 5 || (await floorOf(handle)) <= Number(first?.id) + 1) && Date.now() < deadline);
    await sealer.drain();
    await sealer.stop();
    const [last] = rowsOf<{ id: number | string }>(
      await handle.db.execute(sql`select max(id) as id from audit_events`),
    );
    const floor = await floorOf(handle);
    expect(floor).toBeGreaterThan(Number(first?.id) + 1);
    // A checkpoint states the floor before its own batch: the newest event is above it until a later batch.
    expect(floor).toBeLessThan(Number(last?.id));
    expect(await auditHealth(handle.db)).toMatchObject({ unsealed: 0, treeSize: appended });
  });
});

describe.runIf(!!process.env.TEST_DATABASE_URL)("the sealer's floor under a long transaction (Postgres)", () => {
  let handle: TestDatabase;
  let other: postgres.Sql;
  beforeAll(async () => {
    handle = await createTestDatabase();
    if (!handle.url) throw new Error("a Postgres test database has a URL");
    other = postgres(handle.url, { max: 1, onnotice: () => undefined });
  });
  afterAll(async () => {
    await other.end();
    await handle.drop();
  });

  it("stays below an event whose transaction is open, and the event is sealed once it commits", async () => {
    const sealer = startAuditSealer(handle, { intervalMs: 20, graceMs: 200, rescanMs: 400 });
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let lateId = 0;
    const late = other.begin(async (tx) => {
      await tx`select flightdeck_append_audit(${auditRowsJson([sampleAuditInput({ action: "late.commit" })])}::text::jsonb)`;
      const [row] = await tx<{ id: string }[]>`select max(id)::text as id from audit_events`;
      lateId = Number(row?.id);
      await held;
    });
    let failed: unknown = null;
    late.catch((error: unknown) => {
      failed = error;
    });
    while (lateId === 0 && failed === null) await new Promise((resolve) => setTimeout(resolve, 10));
    if (failed !== null) throw failed;

    // Newer events are sealed around it for longer than the grace period: batches then start above it.
    for (let i = 0; i < 12; i += 1) {
      await handle.db.transaction((tx) => appendAuditEvents(tx, [sampleAuditInput({ payload: { around: i } })]));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await sealer.drain();
    expect(await floorOf(handle)).toBeLessThan(lateId);
    expect(await auditHealth(handle.db)).toMatchObject({ unsealed: 0, treeSize: 12 });

    release();
    await late;
    // The next scan from the floor (drain's, or the loop's within rescanMs) finds it.
    const deadline = Date.now() + 5_000;
    while ((await auditHealth(handle.db)).treeSize < 13 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await sealer.drain();
    await handle.db.transaction((tx) => appendAuditEvents(tx, [sampleAuditInput({ payload: { after: true } })]));
    await sealer.drain();
    await sealer.stop();
    expect(await auditHealth(handle.db)).toMatchObject({ unsealed: 0, treeSize: 14 });
    const [late13] = rowsOf<{ seq: number | string }>(
      await handle.db.execute(sql`select seq from audit_log where action = 'late.commit'`),
    );
    expect(Number(late13?.seq)).toBe(13);
    expect(await sealBatch(handle.db)).toMatchObject({ sealed: 0 });
    expect(await verifyAuditLog(handle.db, { anchorDir: null })).toMatchObject({ ok: true, checked: 14 });
  });
});
