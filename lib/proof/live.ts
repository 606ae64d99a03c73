import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres, type DatabaseHandle, type Db, type Queryable } from "@/db/client";
import { currentMigration, expectedMigration } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { sqlTextArray } from "@/db/text-array";
import { auditLog } from "@/db/schema";
import { auditKeyDir, auditKeys, latestCheckpoint } from "@/lib/audit";
import { macMatches } from "@/lib/audit/leaf";
import { openCheckpoint } from "@/lib/audit/note";
import { auditEventColumns, toAuditEvent } from "@/lib/audit/row";
import { STATED_FLOOR } from "@/lib/audit/seal-floor";
import type { Principal } from "@/lib/audit";
import { getEnv } from "@/lib/env";
import { BULK_CONTROL_MAX, bulkRunControl } from "@/lib/runtime";
import { openScratchDatabase, type ScratchDatabase } from "./scratch-database";
import { until } from "./wait";

/**
 * `npm run proof -- --live`: the proof against a running deployment's own database, with the
 * deployment's audit keys, sealer and anchors. Nothing is created or dropped on the server; the
 * proof's runs, jobs and events stay in the deployment as evidence, clearly its own (jobs
 * `proof-*`, endpoints `proof-*`, fair-share keys under a per-run prefix).
 */
export class LiveProofRefused extends Error {
  constructor(message: string) {
    super(`--live refused: ${message}`);
    this.name = "LiveProofRefused";
  }
}

/**
 * Opens the deployment's database and checks, before the proof writes anything, that this
 * process is the deployment's twin where it matters: the same migrations, and the audit keys the
 * deployment signs and MACs with (else the proof's events would be refused by the deployment's
 * sealer as forged, and a checkpoint signed here would not verify there).
 */
export async function openLiveDatabase(url: string, poolSize: number): Promise<ScratchDatabase> {
  const lock = await takeLiveLock(url);
  let handle: DatabaseHandle;
  try {
    handle = await openPostgres(url, poolSize);
  } catch (error) {
    await lock.release();
    throw error;
  }
  try {
    const [here, there] = [await expectedMigration(), await currentMigration(handle)];
    if (here !== there)
      throw new LiveProofRefused(
        `the deployment's database is at migration ${there ?? "(none)"} and this build's newest is ${here}: run the proof from the deployment's build`,
      );
    await checkLiveKeys(handle.db);
  } catch (error) {
    await handle.close();
    await lock.release();
    throw error;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await handle.close();
    } finally {
      await lock.release();
    }
  };
  return {
    handle,
    kind: "postgres",
    // Test 3's tampered copy: the deployment's log exported into a scratch database, never an edit of the deployment.
    closeAndCopy: () => exportAuditCopy(handle.db),
    close,
    // The deployment's database is the deployment's: releasing it only closes the proof's connections.
    drop: close,
  };
}

/**
 * One live proof at a time per deployment: they share the proof's job and endpoint names, so a
 * second one's worker would run the first's runs against its own loopback model, and the first to
 * end would retire the jobs under the other. A session advisory lock on a connection of its own,
 * held until the proof lets go of the database.
 */
async function takeLiveLock(url: string): Promise<{ release(): Promise<void> }> {
  // Never recycled or idled out: closing this connection is what releases the lock.
  const client = postgres(url, { max: 1, onnotice: () => {}, max_lifetime: null, idle_timeout: 0 });
  try {
    const [row] = await client<
      { taken: boolean }[]
    >`select pg_try_advisory_lock(hashtext('flightdeck.proof-live')) as taken`;
    if (!row?.taken) throw new LiveProofRefused("another live proof is running against this deployment");
  } catch (error) {
    await client.end({ timeout: 5 });
    throw error;
  }
  return { release: () => client.end({ timeout: 5 }) };
}

/**
 * The proof's runs not finished (test 1's greedy tenant still waiting for a quota window when it
 * ends, everything after a failure, or what a killed proof left) are cancelled as an operator
 * would, one audited change each: none is left holding a fair-share key active or waiting for a
 * worker no deployment has. Called when a live proof starts and when it ends.
 */
export async function cancelLeftoverRuns(db: Db, jobIds: readonly string[], principal: Principal): Promise<number> {
  const open = rowsOf<{ id: string }>(
    await db.execute(sql`select id from runs where job_id = any(${sqlTextArray(jobIds)})
      and state not in ('succeeded', 'failed', 'cancelled', 'timed_out')`),
  );
  let cancelled = 0;
  for (let from = 0; from < open.length; from += BULK_CONTROL_MAX) {
    const ids = open.slice(from, from + BULK_CONTROL_MAX).map((r) => r.id);
    // A run with a turn in flight only has its cancel requested: not counted here.
    cancelled += (await bulkRunControl(db, ids, "cancel", principal)).applied.filter((a) => !a.pending).length;
  }
  return cancelled;
}

async function checkLiveKeys(db: Db): Promise<void> {
  const env = getEnv();
  if (!env.FLIGHTDECK_AUDIT_SIGNING_KEY || !env.FLIGHTDECK_AUDIT_MAC_KEY) {
    const dir = auditKeyDir();
    for (const file of ["signing.key", "mac.key"])
      if (!existsSync(path.join(dir, file)))
        throw new LiveProofRefused(
          `no audit key ${path.join(dir, file)}: give this process the deployment's keys (FLIGHTDECK_AUDIT_SIGNING_KEY and FLIGHTDECK_AUDIT_MAC_KEY, or FLIGHTDECK_AUDIT_KEY_DIR / FLIGHTDECK_DATA_DIR as the deployment has them)`,
        );
  }
  const keys = auditKeys();
  const checkpoint = await latestCheckpoint(db);
  if (!checkpoint)
    throw new LiveProofRefused("the deployment's audit log has no signed checkpoint yet: start the deployment first");
  if (!openCheckpoint(checkpoint.note, keys.origin, keys.publicKey))
    throw new LiveProofRefused(
      `the latest checkpoint (tree size ${checkpoint.treeSize}) does not verify with this process's signing key and origin ${keys.origin}: use the deployment's FLIGHTDECK_AUDIT_SIGNING_KEY (or key directory) and FLIGHTDECK_AUDIT_LOG_ORIGIN`,
    );
  const [newest] = await db
    .select(auditEventColumns)
    .from(auditLog)
    .where(sql`${auditLog.seq} = (select max(seq) from audit_seqs)`);
  // Events from before the Merkle log carry no MAC; the signature above already tells the keys apart there.
  if (newest?.mac && !macMatches(keys.macKey, newest.nonce, newest.mac, toAuditEvent(newest)))
    throw new LiveProofRefused(
      `event #${newest.seq ?? "?"}'s MAC does not verify with this process's MAC key: use the deployment's FLIGHTDECK_AUDIT_MAC_KEY (or key directory), or the deployment's sealer would refuse every event the proof writes`,
    );
}

export async function newestEventId(db: Db): Promise<number> {
  const [top] = rowsOf<{ id: number | string | null }>(await db.execute(sql`select max(id) as id from audit_events`));
  return Number(top?.id ?? 0);
}

/**
 * Waits until every event committed so far is sealed or refused — live, by the deployment's
 * sealer — and fails if any event after `sinceId` was refused (its MAC did not verify with the
 * deployment's key: the keys changed under the proof). Events written after the call do not hold it up.
 */
export async function waitUntilSealed(db: Db, timeoutMs: number, sinceId: number): Promise<void> {
  const upTo = await newestEventId(db);
  const sealed = await until(async () => {
    const [row] = rowsOf<{ n: number | string }>(
      await db.execute(sql`select count(*) as n from audit_events e
        where e.id > ${STATED_FLOOR} and e.id <= ${upTo}
          and not exists (select 1 from audit_seqs s where s.event_id = e.id)
          and not exists (select 1 from audit_rejections r where r.event_id = e.id)`),
    );
    return Number(row?.n ?? 0) === 0;
  }, timeoutMs);
  if (!sealed)
    throw new LiveProofRefused(
      `the proof's audit events were not sealed within ${timeoutMs / 1000} s: is the deployment (and so its audit sealer) running?`,
    );
  const [refused] = rowsOf<{ n: number | string }>(
    await db.execute(
      sql`select count(*) as n from audit_rejections where event_id > ${sinceId} and event_id <= ${upTo}`,
    ),
  );
  if (Number(refused?.n ?? 0) > 0)
    throw new LiveProofRefused(
      `the deployment's sealer refused ${Number(refused?.n)} of the events written during the proof (MAC mismatch): did the deployment's audit keys change?`,
    );
}

/** The audit tables verification reads, each with the columns it is ordered and paged by (its primary key). */
const AUDIT_TABLES = [
  { table: "audit_events", key: ["id"] },
  { table: "audit_seqs", key: ["seq"] },
  { table: "audit_rejections", key: ["event_id"] },
  { table: "audit_checkpoints", key: ["tree_size"] },
  { table: "audit_tree_nodes", key: ["level", "idx"] },
] as const;

const PAGE = 5_000;

/**
 * The deployment's audit log copied into an embedded scratch database, row for row and with its
 * guards off while copying (as a restore would be), so a superuser's edit can be shown on the
 * copy. The deployment is only read.
 */
async function exportAuditCopy(source: Db): Promise<ScratchDatabase> {
  const copy = await openScratchDatabase({ prefix: "proof_live_copy", poolSize: 1 });
  try {
    // One snapshot for every table: the deployment keeps sealing meanwhile, and a seq, node or checkpoint
    // read after its events would not match them.
    await source.transaction(
      async (tx) => {
        for (const { table, key } of AUDIT_TABLES) await copyTable(tx, copy.handle.db, table, key);
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
  } catch (error) {
    await copy.drop();
    throw error;
  }
  return copy;
}

async function copyTable(source: Queryable, target: Db, table: string, key: readonly string[]): Promise<void> {
  const name = sql.raw(table);
  // The row comparison selects the range; the plain list orders it as the primary key's index does.
  const columns = sql.raw(`(${key.join(", ")})`);
  const order = sql.raw(key.join(", "));
  await target.execute(sql`alter table ${name} disable trigger all`);
  try {
    // Rows travel as one JSON text a page (bytea as \x hex, timestamps as ISO), read back as the table's row type;
    // pages follow the primary key, so each is an index range however long the log.
    let after: unknown[] | null = null;
    for (;;) {
      const from: SQL = after
        ? sql`where ${columns} > (${sql.join(
            after.map((v) => sql`${v}`),
            sql`, `,
          )})`
        : sql``;
      const [page] = rowsOf<{ rows: string | null }>(
        await source.execute(
          sql`select json_agg(t order by ${order})::text as rows from (select * from ${name} ${from} order by ${order} limit ${PAGE}) t`,
        ),
      );
      if (!page?.rows) break;
      await target.execute(
        sql`insert into ${name} select * from json_populate_recordset(null::${name}, ${page.rows}::json)`,
      );
      const rows = JSON.parse(page.rows) as Record<string, unknown>[];
      const last = rows[rows.length - 1];
      if (!last || rows.length < PAGE) break;
      after = key.map((k) => last[k]);
    }
  } finally {
    await target.execute(sql`alter table ${name} enable trigger all`);
  }
}
