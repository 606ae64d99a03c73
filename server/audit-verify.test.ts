import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { appendAudit, sealBatch } from "@/lib/audit";
import { auditKeyDir } from "@/lib/audit";
import { sampleAuditInput } from "@/tests/audit/fixtures";
import { createTestDatabase } from "@/tests/helpers/db";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * `npm run audit:verify` as a user runs it, against a database the test can also open:
 * an on-disk PGlite directory (the child and the test take turns), or a fresh Postgres.
 */
let childEnv: NodeJS.ProcessEnv;
let open: () => Promise<DatabaseHandle>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  if (onPostgres) {
    const handle = await createTestDatabase({ install: false });
    childEnv = { ...base, DATABASE_URL: handle.url, FLIGHTDECK_AUDIT_KEY_DIR: auditKeyDir() };
    open = async () => handle;
    cleanup = () => handle.drop();
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), "fd-audit-verify-"));
    // The child holds the same keys as this process (its MACs must verify there).
    childEnv = { ...base, FLIGHTDECK_DATA_DIR: dir, FLIGHTDECK_AUDIT_KEY_DIR: auditKeyDir() };
    open = () => openPglite(path.join(dir, "pglite"));
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  await cleanup();
});

async function withDb(work: (handle: DatabaseHandle) => Promise<void>): Promise<void> {
  const handle = await open();
  try {
    await work(handle);
  } finally {
    if (!onPostgres) await handle.close();
  }
}

async function auditVerify(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npm", ["run", "--silent", "audit:verify"], { cwd: root, env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("npm run audit:verify", () => {
  it("migrates a fresh database and finds an empty, intact log", async () => {
    const result = await auditVerify();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      checked: 0,
      firstBadSeq: null,
      problem: null,
      treeSize: 0,
    });
  });

  it("verifies a populated log, exits 1 and names the sequence once a row is tampered with", async () => {
    await withDb(async (handle) => {
      await runMigrations(handle);
      for (let i = 0; i < 5; i += 1)
        await handle.db.transaction((tx) => appendAudit(tx, sampleAuditInput({ payload: { i } })));
      await sealBatch(handle.db);
    });
    const good = await auditVerify();
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, checked: 5 });

    await withDb(async (handle) => {
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_events disable trigger all`);
        await tx.execute(
          sql`update audit_events set actor_label = 'admin@flightdeck.locaI' where id in (select event_id from audit_seqs where seq = 3)`,
        );
        await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_update_delete`);
        await tx.execute(sql`alter table audit_events enable always trigger audit_events_no_truncate`);
        await tx.execute(sql`alter table audit_events enable always trigger audit_events_insert_check`);
      });
    });
    const bad = await auditVerify();
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, checked: 2, firstBadSeq: 3, problem: "mac" });
    expect(bad.stderr).toContain("seq 3");
  });
});
