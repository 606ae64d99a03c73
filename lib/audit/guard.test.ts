import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { computeAuditHash, getAuditHead, listAuditEvents, verifyAuditChain } from "@/lib/audit";
import { recordAudit, sampleAuditInput } from "@/tests/audit/fixtures";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
  for (let i = 0; i < 12; i += 1) await recordAudit(sampleAuditInput({ payload: { i, note: `event ${i}` } }));
});
afterAll(async () => {
  await handle.drop();
});

/** The driver wraps the database error; the trigger's message is somewhere in the chain. */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(" | ");
  }
  throw new Error("expected the database to refuse");
}

/** As superuser: lift the guard for one tampering statement, then restore it exactly. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  await handle.db.transaction(async (tx: Tx) => {
    await tx.execute(sql`alter table audit_events disable trigger all`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_update_delete`);
    await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_truncate`);
  });
}

describe("the database refuses to change audit events", () => {
  it("has both guard triggers enabled ALWAYS", async () => {
    const rows = rowsOf<{ tgname: string; tgenabled: string }>(
      await handle.db.execute(sql`
        select tgname, tgenabled::text as tgenabled from pg_trigger
        where tgrelid = 'audit_events'::regclass and not tgisinternal order by tgname`),
    );
    expect(rows).toEqual([
      { tgname: "audit_events_no_truncate", tgenabled: "A" },
      { tgname: "audit_events_no_update_delete", tgenabled: "A" },
    ]);
  });

  for (const replica of [false, true]) {
    const mode = replica ? "under session_replication_role = replica" : "normally";
    const attempt = (statement: ReturnType<typeof sql>) =>
      refusal(() =>
        handle.db.transaction(async (tx) => {
          if (replica) await tx.execute(sql`set local session_replication_role = replica`);
          await tx.execute(statement);
        }),
      );

    it(`refuses UPDATE ${mode}`, async () => {
      expect(await attempt(sql`update audit_events set actor_label = 'mallory' where seq = 3`)).toMatch(
        /append-only: UPDATE refused/,
      );
    });

    it(`refuses DELETE ${mode}`, async () => {
      expect(await attempt(sql`delete from audit_events where seq = 3`)).toMatch(/append-only: DELETE refused/);
    });

    it(`refuses TRUNCATE ${mode}`, async () => {
      expect(await attempt(sql`truncate audit_events`)).toMatch(/append-only: TRUNCATE refused/);
    });
  }

  it("left every event in place", async () => {
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, checked: 12, firstBadSeq: null, problem: null });
  });
});

// Each case tampers, checks, and depends on the damage of the cases before it:
// verification reports the earliest problem, so later cases damage earlier rows.
describe("verification names the first tampered sequence", () => {
  it("notices one character flipped in a payload", async () => {
    await tamper(sql`update audit_events set payload = jsonb_set(payload, '{note}', '"event 1O"') where seq = 10`);
    expect(await verifyAuditChain(handle.db, { batchSize: 4 })).toEqual({
      ok: false,
      checked: 9,
      firstBadSeq: 10,
      problem: "hash",
    });
  });

  it("notices a forged event whose hash was recomputed, by the next event's link", async () => {
    const { events } = await listAuditEvents(handle.db, { cursor: 9, limit: 1 });
    const original = events[0];
    if (original?.seq !== 8) throw new Error("expected event 8");
    const forged = { ...original, actor: { ...original.actor, label: "mallory" } };
    const forgedHash = computeAuditHash(forged, forged.prevHash);
    await tamper(sql`update audit_events set actor_label = 'mallory', hash = ${forgedHash} where seq = 8`);
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: false, checked: 8, firstBadSeq: 9, problem: "link" });
  });

  it("notices a broken link", async () => {
    await tamper(sql`update audit_events set prev_hash = repeat('0', 64) where seq = 6`);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: false, checked: 5, firstBadSeq: 6, problem: "link" });
  });

  it("names the gap a deleted middle row leaves", async () => {
    await tamper(sql`delete from audit_events where seq = 4`);
    expect(await verifyAuditChain(handle.db, { batchSize: 2 })).toEqual({
      ok: false,
      checked: 3,
      firstBadSeq: 4,
      problem: "gap",
    });
  });

  it("names seq 1 when the log's first event is gone", async () => {
    await tamper(sql`delete from audit_events where seq = 1`);
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: false, checked: 0, firstBadSeq: 1, problem: "gap" });
  });

  it("restored the guard after tampering", async () => {
    expect(await refusal(() => handle.db.execute(sql`delete from audit_events where seq = 2`))).toMatch(/append-only/);
    expect((await getAuditHead(handle.db)).seq).toBe(12);
  });
});
