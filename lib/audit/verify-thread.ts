/**
 * Worker-thread body for GET /api/audit/verify on Postgres (started by verify-guard.ts
 * through scripts/lib/ts-worker.mjs): its own one-connection pool, verifyAuditLog, the
 * result posted back. The fold happens here and the hashing in verifyAuditLog's own
 * range threads, none of it on the server's event loop.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openPostgres } from "@/db/client";
import { verifyAuditLog } from "./verify";

const { url, batchSize } = workerData as { url: string; batchSize: number };
const handle = await openPostgres(url, 1);
try {
  parentPort?.postMessage({ result: await verifyAuditLog(handle.db, { batchSize, url }) });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  await handle.close();
}
