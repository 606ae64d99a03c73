import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres, type DatabaseHandle, type Db } from "@/db/client";
import { currentMigration, expectedMigration } from "@/db/migrate";
import { auditLog } from "@/db/schema";
import { auditKeyDir, auditKeys, latestCheckpoint } from "@/lib/audit";
import { macMatches } from "@/lib/audit/leaf";
import { openCheckpoint } from "@/lib/audit/note";
import { auditEventColumns, toAuditEvent } from "@/lib/audit/row";
import { getEnv } from "@/lib/env";
import { exportAuditCopy } from "./live-export";
import type { ScratchDatabase } from "./scratch-database";

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
