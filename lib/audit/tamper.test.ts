import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { appendAuditEvents, sealBatch } from "@/lib/audit";
import { writeAnchorFile } from "@/lib/audit/anchor";
import { refusal, sampleAuditInput } from "@/tests/audit/fixtures";
import { verifyBothWays } from "@/tests/audit/verify-both";

let handle: TestDatabase;
let anchorDir: string;

/** Appends one event and seals it, anchoring every checkpoint as the sealer does. */
async function recordAndSeal(i: number): Promise<void> {
  await handle.db.transaction((tx) =>
    appendAuditEvents(tx, [sampleAuditInput({ payload: { i, note: `event ${i}` } })]),
  );
  const result = await sealBatch(handle.db);
  if (!result?.note) throw new Error("nothing sealed");
  await writeAnchorFile(anchorDir, result.treeSize, result.note);
}

beforeAll(async () => {
  anchorDir = mkdtempSync(path.join(tmpdir(), "fd-audit-anchors-"));
  handle = await createTestDatabase();
  for (let i = 1; i <= 12; i += 1) await recordAndSeal(i);
});
afterAll(async () => {
  await handle.drop();
  rmSync(anchorDir, { recursive: true, force: true });
});

const tables = ["audit_events", "audit_seqs", "audit_tree_nodes", "audit_checkpoints"];

/** As superuser: lift every guard for the tampering statements, then restore them exactly. */
async function tamper(...statements: ReturnType<typeof sql>[]): Promise<void> {
  await handle.db.transaction(async (tx: Tx) => {
    for (const t of tables) await tx.execute(sql.raw(`alter table ${t} disable trigger all`));
    for (const statement of statements) await tx.execute(statement);
    const triggers = rowsOf<{ rel: string; name: string }>(
      await tx.execute(
        sql`select tgrelid::regclass::text as rel, tgname as name from pg_trigger where tgrelid::regclass::text in ('audit_events', 'audit_seqs', 'audit_tree_nodes', 'audit_checkpoints') and not tgisinternal`,
      ),
    );
    for (const t of triggers) await tx.execute(sql.raw(`alter table ${t.rel} enable always trigger ${t.name}`));
  });
}

const verify = (anchors: boolean) =>
  verifyBothWays(handle.db, handle.url, { anchorDir: anchors ? anchorDir : null, batchSize: 4 });

// Each case damages an earlier part of the log than the one before it: verification
// reports the earliest problem.
describe("verification names the first tampered seq, as a database superuser tampers", () => {
  it("checks every anchored checkpoint of an intact log", async () => {
    expect(readdirSync(anchorDir)).toHaveLength(12);
    expect(await verify(true)).toMatchObject({
      ok: true,
      checked: 12,
      firstBadSeq: null,
      treeSize: 12,
      anchorsChecked: 12,
    });
  });

  it("names the first truncated seq when the tail was cut back to an earlier signed checkpoint", async () => {
    await tamper(
      sql`delete from audit_events where id in (select event_id from audit_seqs where seq > 10)`,
      sql`delete from audit_seqs where seq > 10`,
      sql`delete from audit_tree_nodes where (idx + 1) * (1 << level) > 10`,
      sql`delete from audit_checkpoints where tree_size > 10`,
    );
    // Consistent and signed: only the anchors outside the database remember events 11 and 12.
    expect(await verify(false)).toMatchObject({ ok: true, checked: 10 });
    expect(await verify(true)).toMatchObject({ ok: false, checked: 10, firstBadSeq: 11, problem: "anchor" });
  });

  it("names where a consistent suffix was rewritten after anchoring, even by someone holding the keys", async () => {
    await tamper(
      sql`delete from audit_events where id in (select event_id from audit_seqs where seq >= 9)`,
      sql`delete from audit_seqs where seq >= 9`,
      sql`delete from audit_tree_nodes where (idx + 1) * (1 << level) > 8`,
      sql`delete from audit_checkpoints where tree_size > 8`,
    );
    // Re-recorded with the application's own keys: MACs, tree and signatures all fit.
    for (const i of [90, 100]) {
      await handle.db.transaction((tx) =>
        appendAuditEvents(tx, [sampleAuditInput({ payload: { i, note: "rewritten" } })]),
      );
      await sealBatch(handle.db);
    }
    expect(await verify(false)).toMatchObject({ ok: true, checked: 10, treeSize: 10 });
    expect(await verify(true)).toMatchObject({ ok: false, checked: 8, firstBadSeq: 9, problem: "anchor" });
  });

  it("names an event with one byte flipped", async () => {
    await tamper(
      sql`update audit_events set payload = jsonb_set(payload, '{note}', '"evenT 5"') where id in (select event_id from audit_seqs where seq = 5)`,
    );
    expect(await verify(false)).toMatchObject({ ok: false, checked: 4, firstBadSeq: 5, problem: "mac" });
  });

  it("names an event whose ts was set to infinity (the range's query must not fail)", async () => {
    await tamper(
      sql`update audit_events set ts = 'infinity' where id in (select event_id from audit_seqs where seq = 4)`,
    );
    expect(await verify(false)).toMatchObject({ ok: false, checked: 3, firstBadSeq: 4, problem: "mac" });
  });

  it("names an event whose ts lies beyond the years a JavaScript date can hold", async () => {
    await tamper(
      sql`update audit_events set ts = '294000-01-01T00:00:00Z' where id in (select event_id from audit_seqs where seq = 4)`,
    );
    expect(await verify(false)).toMatchObject({ ok: false, checked: 3, firstBadSeq: 4, problem: "mac" });
  });

  it("names the gap a deleted row leaves", async () => {
    await tamper(sql`delete from audit_events where id in (select event_id from audit_seqs where seq = 3)`);
    expect(await verify(true)).toMatchObject({ ok: false, checked: 2, firstBadSeq: 3, problem: "gap" });
  });

  it("names the gap a deleted seq leaves (its event stays, unsealed)", async () => {
    await tamper(sql`delete from audit_seqs where seq = 2`);
    expect(await verify(true)).toMatchObject({ ok: false, checked: 1, firstBadSeq: 2, problem: "gap" });
  });

  it("names a stored checkpoint whose signature no longer verifies", async () => {
    await tamper(sql`update audit_checkpoints set note = replace(note, 'audit', 'audlt') where tree_size = 1`);
    expect(await verify(false)).toMatchObject({ ok: false, checked: 0, firstBadSeq: 1, problem: "signature" });
  });

  it("refuses to seal an event whose seq was recorded behind the sealer's back (the app role may insert seqs)", async () => {
    await handle.db.transaction((tx) => appendAuditEvents(tx, [sampleAuditInput({ action: "sneaky" })]));
    await handle.db.execute(
      sql`insert into audit_seqs (seq, event_id) select 11, id from audit_events where action = 'sneaky'`,
    );
    await expect(sealBatch(handle.db)).rejects.toThrow(/set outside the sealer/);
  });

  it("restored the guards after tampering", async () => {
    const first = sql`(select min(id) from audit_events)`;
    expect(await refusal(() => handle.db.execute(sql`delete from audit_events where id = ${first}`))).toMatch(
      /audit_events is append-only/,
    );
    expect(await refusal(() => handle.db.execute(sql`delete from audit_seqs where seq = 1`))).toMatch(
      /audit_seqs is append-only/,
    );
  });
});
