import { createHash, createPublicKey, verify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import {
  appendAuditEvents,
  auditEventBySeq,
  canonicalJson,
  consistencyProof,
  inclusionProof,
  sealBatch,
  verifyAuditLog,
} from "@/lib/audit";
import { auditKeys } from "@/lib/audit/keys";
import { verifierKey } from "@/lib/audit/note";
import { sampleAuditInput } from "@/tests/audit/fixtures";
import { rfcLeafHash, rfcRoot, rfcVerifyConsistency, rfcVerifyInclusion } from "@/tests/audit/rfc9162";

let handle: TestDatabase;
let keyDir: string;
beforeAll(async () => {
  keyDir = mkdtempSync(path.join(tmpdir(), "fd-audit-keys-"));
  process.env.FLIGHTDECK_AUDIT_KEY_DIR = keyDir;
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.drop();
  rmSync(keyDir, { recursive: true, force: true });
});

const b64 = (s: string) => Buffer.from(s, "base64");

/** Parses and checks a checkpoint note the way an outside verifier would, from the verifier key alone. */
function openNote(note: string, vkey: string): { origin: string; size: number; root: Buffer } {
  // <name>+<8 hex>+<base64>: the base64 part may itself contain "+".
  const match = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey);
  const [, name, hashHex, keyB64] = match ?? [];
  if (!name || !hashHex || !keyB64) throw new Error("bad verifier key");
  const key = b64(keyB64);
  expect(key[0]).toBe(1);
  const pub = key.subarray(1);
  const expectedHash = createHash("sha256")
    .update(`${name}\n`)
    .update(Uint8Array.of(1))
    .update(pub)
    .digest()
    .subarray(0, 4);
  expect(expectedHash.toString("hex")).toBe(hashHex);
  const [text, sigs] = note.split("\n\n");
  if (text === undefined || sigs === undefined) throw new Error("not a signed note");
  const line = sigs.split("\n")[0] ?? "";
  expect(line.startsWith(`\u2014 ${name} `)).toBe(true);
  const blob = b64(line.slice(`\u2014 ${name} `.length));
  expect(blob.subarray(0, 4).equals(expectedHash)).toBe(true);
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), pub]);
  const ok = verify(
    null,
    Buffer.from(`${text}\n`),
    createPublicKey({ key: spki, format: "der", type: "spki" }),
    blob.subarray(4),
  );
  expect(ok).toBe(true);
  const [origin, size, root] = text.split("\n");
  return { origin: origin ?? "", size: Number(size), root: b64(root ?? "") };
}

describe("the Merkle audit log", () => {
  const notes: string[] = [];
  let total = 0;

  it("seals committed events in batches into gapless seqs and signs a checkpoint per batch", async () => {
    // Uneven batches so the tree passes through many shapes (sizes 1, 2, 3, 5, 8, 13, …).
    for (const count of [1, 1, 1, 2, 3, 5, 8, 13, 1, 4]) {
      await handle.db.transaction((tx) =>
        appendAuditEvents(
          tx,
          Array.from({ length: count }, (_, i) =>
            sampleAuditInput({ payload: { batch: notes.length, i, text: "héllo ✓ \u{1F600}" } }),
          ),
        ),
      );
      const result = await sealBatch(handle.db);
      total += count;
      expect(result).toMatchObject({ sealed: count, rejected: 0, treeSize: total });
      if (!result?.note) throw new Error("no checkpoint");
      notes.push(result.note);
    }
    const again = await sealBatch(handle.db);
    expect(again).toMatchObject({ sealed: 0, treeSize: total, note: null });
    const seqs = rowsOf<{ seq: number | string }>(
      await handle.db.execute(sql`select seq from audit_log order by seq`),
    ).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it("signs checkpoints an outside verifier accepts, with roots matching RFC 9162 MTH of the leaves", async () => {
    const keys = auditKeys();
    const vkey = verifierKey(keys.origin, keys.publicKey);
    expect(vkey).toMatch(/^flightdeck\.local\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const leaves: Buffer[] = [];
    for (let seq = 1; seq <= total; seq += 1) {
      const event = await auditEventBySeq(handle.db, seq);
      if (!event?.canonical || !event.leafHash) throw new Error(`event ${seq} missing`);
      // The leaf string is JCS of exactly these fields.
      expect(Object.keys(JSON.parse(event.canonical) as object).sort()).toEqual([
        "action",
        "actor",
        "authorization",
        "payload",
        "seq",
        "subject",
        "ts",
      ]);
      expect(rfcLeafHash(event.canonical).toString("base64")).toBe(event.leafHash);
      // … and is exactly the canonical form (JCS) of itself.
      expect(canonicalJson(JSON.parse(event.canonical))).toBe(event.canonical);
      leaves.push(rfcLeafHash(event.canonical));
    }
    for (const note of notes) {
      const cp = openNote(note, vkey);
      expect(cp.origin).toBe("flightdeck.local/audit");
      expect(cp.root.equals(rfcRoot(leaves.slice(0, cp.size)))).toBe(true);
    }
  });

  it("answers inclusion proofs for every leaf in every checkpointed tree that the RFC algorithm accepts", async () => {
    const leaves: Buffer[] = [];
    for (let seq = 1; seq <= total; seq += 1) leaves.push(b64((await auditEventBySeq(handle.db, seq))?.leafHash ?? ""));
    const sizes = [...new Set([1, 2, 3, 7, 8, 9, 16, 17, 30, 38, total])].filter((s) => s <= total);
    for (const size of sizes) {
      const root = rfcRoot(leaves.slice(0, size));
      for (let seq = 1; seq <= size; seq += 1) {
        const proof = await inclusionProof(handle.db, seq, size);
        expect(proof).toMatchObject({ seq, leafIndex: seq - 1, treeSize: size });
        const hashes = proof.hashes.map(b64);
        expect(rfcVerifyInclusion(seq - 1, size, b64(proof.leafHash), hashes, root)).toBe(true);
        // and a wrong leaf does not verify
        expect(rfcVerifyInclusion(seq - 1, size, rfcLeafHash("forged"), hashes, root)).toBe(false);
      }
    }
    const latest = await inclusionProof(handle.db, 1);
    expect(latest.treeSize).toBe(total);
  });

  it("answers consistency proofs between any two sizes that the RFC algorithm accepts", async () => {
    const leaves: Buffer[] = [];
    for (let seq = 1; seq <= total; seq += 1) leaves.push(b64((await auditEventBySeq(handle.db, seq))?.leafHash ?? ""));
    for (let from = 1; from <= total; from += 3) {
      for (const to of [from, from + 1, Math.min(total, from * 2), total]) {
        if (to < from || to > total) continue;
        const proof = await consistencyProof(handle.db, from, to);
        expect(proof).toMatchObject({ from, to });
        const ok = rfcVerifyConsistency(
          from,
          to,
          rfcRoot(leaves.slice(0, from)),
          rfcRoot(leaves.slice(0, to)),
          proof.hashes.map(b64),
        );
        expect(ok, `consistency ${from} → ${to}`).toBe(true);
      }
    }
    const wrong = await consistencyProof(handle.db, 5, total);
    expect(rfcVerifyConsistency(5, total, rfcRoot(leaves.slice(0, 4)), rfcRoot(leaves), wrong.hashes.map(b64))).toBe(
      false,
    );
  });

  it("says which bound is wrong for proofs out of range", async () => {
    await expect(inclusionProof(handle.db, total + 1)).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/not sealed yet/),
    });
    await expect(inclusionProof(handle.db, 2, total + 5)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/treeSize/),
    });
    await expect(inclusionProof(handle.db, 5, 3)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/outside a tree of size 3/),
    });
    await expect(consistencyProof(handle.db, 6, 4)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/from 6/),
    });
  });

  it("verifies the whole log, and never seals an event whose MAC fails", async () => {
    expect(await verifyAuditLog(handle.db, { batchSize: 7, anchorDir: null })).toMatchObject({
      ok: true,
      checked: total,
      firstBadSeq: null,
      treeSize: total,
    });
    // A forged INSERT (as the database owner, triggers intact) without the MAC key.
    await handle.db.execute(sql`
      insert into audit_events (ts, actor_kind, actor_label, action, subject_type, "authorization", payload, nonce, mac)
      values (now(), 'user', 'mallory', 'approval.approved', 'approval', '{}', '{}', 'bm9uY2U=', 'AAAA')`);
    const verified = await verifyAuditLog(handle.db, { anchorDir: null });
    expect(verified.ok).toBe(false);
    expect(verified.badUnsealedIds).toHaveLength(1);
    const result = await sealBatch(handle.db);
    expect(result).toMatchObject({ sealed: 0, rejected: 1, treeSize: total });
    const forged = rowsOf<{ seq: number | null }>(
      await handle.db.execute(sql`select seq from audit_log where actor_label = 'mallory'`),
    );
    expect(forged).toEqual([{ seq: null }]);
    // Next batches skip it for good.
    await handle.db.transaction((tx) => appendAuditEvents(tx, [sampleAuditInput()]));
    expect(await sealBatch(handle.db)).toMatchObject({ sealed: 1, rejected: 0, treeSize: total + 1 });
  });
});
