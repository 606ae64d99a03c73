import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { GENESIS_HASH, appendAudit, computeAuditHash, getAuditHead, listAuditEvents, verifyAuditChain } from "@/lib/audit";
import { REDACTED } from "@/lib/redaction";
import { recordAudit, sampleAuditInput } from "@/tests/audit/fixtures";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
});

describe("appendAudit and verifyAuditChain", () => {
  it("verifies an empty log", async () => {
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, checked: 0, firstBadSeq: null, problem: null });
    expect(await getAuditHead(handle.db)).toEqual({ seq: 0, hash: GENESIS_HASH, ts: null });
  });

  it("starts the chain at seq 1 from the genesis hash and links each event to the previous one", async () => {
    const first = await handle.db.transaction((tx) => appendAudit(tx, sampleAuditInput()));
    const second = await recordAudit(sampleAuditInput({ action: "auth.sign_in_failed", payload: { email: "x@y" } }));
    expect(first.seq).toBe(1);
    expect(second.seq).toBe(2);

    const { events } = await listAuditEvents(handle.db, { limit: 10 });
    const [e2, e1] = events;
    expect(e1?.prevHash).toBe(GENESIS_HASH);
    expect(e1?.hash).toBe(first.hash);
    expect(e2?.prevHash).toBe(first.hash);
    expect(e2?.hash).toBe(second.hash);
    if (!e1) throw new Error("missing event");
    expect(computeAuditHash(e1, GENESIS_HASH)).toBe(e1.hash);
    expect(e1.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(e1.ts) - Date.now())).toBeLessThan(60_000);
  });

  it("verifies a populated chain in any batch size", async () => {
    for (let i = 0; i < 23; i += 1) await recordAudit(sampleAuditInput({ payload: { i } }));
    for (const batchSize of [1, 2, 7, 25, 1000]) {
      expect(await verifyAuditChain(handle.db, { batchSize })).toEqual({
        ok: true,
        checked: 25,
        firstBadSeq: null,
        problem: null,
      });
    }
    const head = await getAuditHead(handle.db);
    expect(head.seq).toBe(25);
  });

  it("keeps ts in seq order", async () => {
    const rows = rowsOf<{ bad: number | string }>(
      await handle.db.execute(sql`
        select count(*) as bad from (
          select ts < lag(ts) over (order by seq) as backwards from audit_events
        ) t where backwards`),
    );
    expect(Number(rows[0]?.bad)).toBe(0);
  });

  it("stores payload and authorization redacted, and the hash covers the redacted form", async () => {
    const { seq } = await recordAudit(
      sampleAuditInput({
        action: "token.created",
        authorization: { role: "admin", via: "token", token: "fd_abcdefghijklmnopqrstuvwxyz" },
        payload: { name: "ci", token: "fd_abcdefghijklmnopqrstuvwxyz", note: "use sk-abcdefghijklmnopqrstuvwx" },
      }),
    );
    const raw = rowsOf<{ payload: unknown; authorization: unknown }>(
      await handle.db.execute(sql`select payload::text as payload, "authorization"::text as authorization from audit_events where seq = ${seq}`),
    )[0];
    expect(JSON.stringify(raw)).not.toContain("abcdefghijklmnop");
    const [event] = (await listAuditEvents(handle.db, { limit: 1 })).events;
    expect(event?.payload).toEqual({ name: "ci", token: REDACTED, note: `use ${REDACTED}` });
    expect(event?.authorization).toEqual({ role: "admin", via: "token", token: REDACTED });
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it("leaves no event and no gap when the transaction rolls back", async () => {
    const before = await getAuditHead(handle.db);
    await expect(
      handle.db.transaction(async (tx) => {
        await appendAudit(tx, sampleAuditInput({ action: "doomed" }));
        throw new Error("change failed after the audit append");
      }),
    ).rejects.toThrow("change failed");
    expect(await getAuditHead(handle.db)).toEqual(before);
    const next = await recordAudit(sampleAuditInput({ action: "after.rollback" }));
    expect(next.seq).toBe(before.seq + 1);
    const doomed = await handle.db.select().from(auditEvents).where(sql`${auditEvents.action} = 'doomed'`);
    expect(doomed).toEqual([]);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, checked: next.seq });
  });

  it("commits several events of one transaction together, in order", async () => {
    const before = await getAuditHead(handle.db);
    const seqs = await handle.db.transaction(async (tx) => {
      const a = await appendAudit(tx, sampleAuditInput({ action: "multi.a" }));
      const b = await appendAudit(tx, sampleAuditInput({ action: "multi.b" }));
      return [a.seq, b.seq];
    });
    expect(seqs).toEqual([before.seq + 1, before.seq + 2]);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });
});
