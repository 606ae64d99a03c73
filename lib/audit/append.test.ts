import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { appendAudit, appendAuditEvents, canonicalJson, listAuditEvents, sealBatch, verifyAuditLog } from "@/lib/audit";
import { auditKeys } from "@/lib/audit/keys";
import { eventMac } from "@/lib/audit/leaf";
import { REDACTED } from "@/lib/redaction";
import { recordAudit, sampleAuditInput } from "@/tests/audit/fixtures";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
});

const count = async () =>
  Number(rowsOf<{ n: number | string }>(await handle.db.execute(sql`select count(*) as n from audit_events`))[0]?.n);

describe("appendAudit", () => {
  it("verifies an empty log", async () => {
    expect(await verifyAuditLog(handle.db, { anchorDir: null })).toMatchObject({
      ok: true,
      checked: 0,
      firstBadSeq: null,
      problem: null,
      treeSize: 0,
      unsealed: 0,
    });
  });

  it("records an unsealed event with a nonce and the writer's MAC over its content", async () => {
    await handle.db.transaction((tx) => appendAudit(tx, sampleAuditInput()));
    const [event] = (await listAuditEvents(handle.db, { limit: 1 })).events;
    if (!event) throw new Error("missing event");
    expect(event).toMatchObject({ seq: null, sealed: false, action: "user.role_changed" });
    expect(event.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(event.ts) - Date.now())).toBeLessThan(60_000);
    const [raw] = rowsOf<{ nonce: string; mac: string }>(
      await handle.db.execute(sql`select nonce, mac from audit_events where id = ${event.id}`),
    );
    if (!raw) throw new Error("missing row");
    expect(raw.mac).toBe(eventMac(auditKeys().macKey, raw.nonce, event));
    // The MAC is HMAC-SHA-256 over the JCS of {nonce, ts, actor, action, subject, authorization, payload}.
    const { id: _id, seq: _seq, sealed: _sealed, ...content } = event;
    const message = canonicalJson({ ...content, nonce: raw.nonce });
    expect(raw.mac).toBe(createHmac("sha256", auditKeys().macKey).update(message).digest("base64"));
    // The key itself is nowhere in the row.
    expect(JSON.stringify(raw)).not.toContain(auditKeys().macKey.toString("base64"));
    expect(await verifyAuditLog(handle.db, { anchorDir: null })).toMatchObject({
      ok: true,
      unsealed: 1,
      badUnsealedIds: [],
    });
    expect(await sealBatch(handle.db)).toMatchObject({ sealed: 1, treeSize: 1 });
    const [sealed] = (await listAuditEvents(handle.db, { limit: 1 })).events;
    expect(sealed).toMatchObject({ id: event.id, seq: 1, sealed: true });
  });

  it("stores payload and authorization redacted, and the MAC covers the redacted form", async () => {
    await recordAudit(
      sampleAuditInput({
        action: "token.created",
        authorization: { role: "admin", via: "token", token: "fd_abcdefghijklmnopqrstuvwxyz" },
        payload: { name: "ci", token: "fd_abcdefghijklmnopqrstuvwxyz", note: "use sk-abcdefghijklmnopqrstuvwx" },
      }),
    );
    const raw = rowsOf<{ payload: unknown; authorization: unknown }>(
      await handle.db.execute(
        sql`select payload::text as payload, "authorization"::text as authorization from audit_events where action = 'token.created'`,
      ),
    )[0];
    expect(JSON.stringify(raw)).not.toContain("abcdefghijklmnop");
    const [event] = (await listAuditEvents(handle.db, { limit: 1 })).events;
    expect(event?.payload).toEqual({ name: "ci", token: REDACTED, note: `use ${REDACTED}` });
    expect(event?.authorization).toEqual({ role: "admin", via: "token", token: REDACTED });
    await sealBatch(handle.db);
    expect(await verifyAuditLog(handle.db, { anchorDir: null })).toMatchObject({ ok: true, checked: 2 });
  });

  it("leaves no event and no gap when the transaction rolls back", async () => {
    const before = await count();
    await expect(
      handle.db.transaction(async (tx) => {
        await appendAudit(tx, sampleAuditInput({ action: "doomed" }));
        throw new Error("change failed after the audit append");
      }),
    ).rejects.toThrow("change failed");
    expect(await count()).toBe(before);
    await recordAudit(sampleAuditInput({ action: "after.rollback" }));
    expect(await sealBatch(handle.db)).toMatchObject({ sealed: 1, treeSize: 3 });
    const doomed = await handle.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'doomed'`);
    expect(doomed).toEqual([]);
    expect(await verifyAuditLog(handle.db, { anchorDir: null })).toMatchObject({ ok: true, checked: 3 });
  });

  it("writes the events of one transaction in one insert, in order, sealed in that order", async () => {
    await handle.db.transaction((tx) =>
      appendAuditEvents(tx, [sampleAuditInput({ action: "multi.a" }), sampleAuditInput({ action: "multi.b" })]),
    );
    await sealBatch(handle.db);
    const rows = rowsOf<{ action: string; seq: number | string }>(
      await handle.db.execute(sql`select action, seq from audit_log where action like 'multi.%' order by id`),
    );
    expect(rows.map((r) => [r.action, Number(r.seq)])).toEqual([
      ["multi.a", 4],
      ["multi.b", 5],
    ]);
  });

  it("refuses a copied event: the MAC is unique, so a replayed row cannot be inserted", async () => {
    const copy = () =>
      handle.db.execute(sql`
        insert into audit_events (ts, actor_kind, actor_id, actor_label, action, subject_type, subject_id, "authorization", payload, nonce, mac)
        select ts, actor_kind, actor_id, actor_label, action, subject_type, subject_id, "authorization", payload, nonce, mac
        from audit_log where seq = 1`);
    await expect(copy()).rejects.toThrow();
  });
});
