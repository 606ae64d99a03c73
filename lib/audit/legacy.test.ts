import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import type { TestDatabase } from "@/tests/helpers/db";
import { GENESIS_HASH, auditEventBySeq, computeAuditHash, inclusionProof, sealBatch } from "@/lib/audit";
import { latestCheckpoint } from "@/lib/audit/tree-store";
import { recordAudit, sampleAuditInput } from "@/tests/audit/fixtures";
import { rfcLeafHash, rfcRoot, rfcVerifyInclusion } from "@/tests/audit/rfc9162";
import { verifyBothWays } from "@/tests/audit/verify-both";

// A database migrated only up to the hash-chained log, holding chained events, then
// migrated to the Merkle log: the sealer integrates the old events first, in seq order.
let handle: TestDatabase;
let oldFolder: string;

beforeAll(async () => {
  oldFolder = mkdtempSync(path.join(tmpdir(), "fd-old-migrations-"));
  cpSync(migrationsFolder, oldFolder, { recursive: true });
  const journalPath = path.join(oldFolder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; tag: string }[] };
  // Everything up to the last migration of the hash-chained log (0007); later ones assume the Merkle log.
  journal.entries = journal.entries.filter((e) => e.idx < 8);
  writeFileSync(journalPath, JSON.stringify(journal));
  // createTestDatabase migrates fully; build a fresh one by hand instead.
  const { openPglite, openPostgres, setDatabase } = await import("@/db/client");
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const postgres = (await import("postgres")).default;
    const name = `fd_test_legacy_${Date.now().toString(36)}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const h = await openPostgres(url.toString(), 4);
    handle = {
      ...h,
      url: url.toString(),
      async drop() {
        await h.close();
        const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await again.unsafe(`drop database if exists "${name}" with (force)`);
        await again.end();
      },
    };
  } else {
    const h = await openPglite(undefined);
    handle = { ...h, drop: () => h.close() };
  }
  setDatabase(handle);
  await runMigrations(handle, oldFolder);
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 11; seq += 1) {
    const ts = new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString();
    const e = sampleAuditInput({ payload: { legacy: seq } });
    const hash = computeAuditHash(
      {
        seq,
        ts,
        actor: e.actor,
        action: e.action,
        subject: e.subject,
        authorization: e.authorization,
        payload: e.payload ?? {},
      },
      prev,
    );
    await handle.db.execute(sql`
      insert into audit_events (seq, ts, actor_kind, actor_id, actor_label, action, subject_type, subject_id, "authorization", payload, prev_hash, hash)
      values (${seq}, ${ts}, ${e.actor.kind}, ${e.actor.id}, ${e.actor.label}, ${e.action}, ${e.subject.type}, ${e.subject.id},
              ${JSON.stringify(e.authorization)}::jsonb, ${JSON.stringify(e.payload)}::jsonb, ${prev}, ${hash})`);
    prev = hash;
  }
  await runMigrations(handle);
});
afterAll(async () => {
  await handle.drop();
  rmSync(oldFolder, { recursive: true, force: true });
});

describe("migrating the hash-chained log into the Merkle tree", () => {
  it("keeps old events' seqs and orders them first by id", async () => {
    const rows = rowsOf<{ id: number | string; seq: number | string }>(
      await handle.db.execute(sql`select id, seq from audit_log order by id`),
    );
    expect(rows.map((r) => [Number(r.id), Number(r.seq)])).toEqual(
      Array.from({ length: 11 }, (_, i) => [i + 1, i + 1]),
    );
    expect(await verifyBothWays(handle.db, handle.url, { anchorDir: null, batchSize: 3 })).toMatchObject({
      ok: true,
      checked: 11,
      treeSize: 0,
    });
  });

  it("integrates them as the first leaves in seq order, then seals new events after them", async () => {
    await recordAudit(sampleAuditInput({ action: "after.migration" }));
    expect(await sealBatch(handle.db, { maxEvents: 5 })).toMatchObject({ sealed: 5, treeSize: 5 });
    expect(await sealBatch(handle.db, { maxEvents: 5 })).toMatchObject({ sealed: 5, treeSize: 10 });
    expect(await sealBatch(handle.db, { maxEvents: 5 })).toMatchObject({ sealed: 1, treeSize: 11 });
    expect(await sealBatch(handle.db, { maxEvents: 5 })).toMatchObject({ sealed: 1, treeSize: 12 });
    const newest = await auditEventBySeq(handle.db, 12);
    expect(newest?.action).toBe("after.migration");
    const leaves: Buffer[] = [];
    for (let seq = 1; seq <= 12; seq += 1)
      leaves.push(rfcLeafHash((await auditEventBySeq(handle.db, seq))?.canonical ?? ""));
    const head = await latestCheckpoint(handle.db);
    expect(head?.rootHash.equals(rfcRoot(leaves))).toBe(true);
    const proof = await inclusionProof(handle.db, 4);
    expect(
      rfcVerifyInclusion(
        3,
        12,
        leaves[3] ?? Buffer.alloc(0),
        proof.hashes.map((h) => Buffer.from(h, "base64")),
        rfcRoot(leaves),
      ),
    ).toBe(true);
    expect(await verifyBothWays(handle.db, handle.url, { anchorDir: null, batchSize: 3 })).toMatchObject({
      ok: true,
      checked: 12,
      treeSize: 12,
    });
  });

  it("still names a tampered old event by its chain", async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
      await tx.execute(
        sql`update audit_events set actor_label = 'mallory' where id = (select event_id from audit_seqs where seq = 6)`,
      );
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_update_delete`);
    });
    expect(await verifyBothWays(handle.db, handle.url, { anchorDir: null, batchSize: 3 })).toMatchObject({
      ok: false,
      checked: 5,
      firstBadSeq: 6,
      problem: "hash",
    });
  });

  it("names an old event whose ts no date can hold by its chain, as any other changed content", async () => {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
      await tx.execute(
        sql`update audit_events set ts = 'infinity' where id = (select event_id from audit_seqs where seq = 3)`,
      );
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_update_delete`);
    });
    expect(await verifyBothWays(handle.db, handle.url, { anchorDir: null, batchSize: 3 })).toMatchObject({
      ok: false,
      checked: 2,
      firstBadSeq: 3,
      problem: "hash",
    });
  });
});
