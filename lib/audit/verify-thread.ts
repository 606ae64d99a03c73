/**
 * Worker-thread body for GET /api/audit/verify on Postgres (started by verify-guard.ts
 * through scripts/lib/ts-worker.mjs): its own one-connection pool, the unchanged
 * verifyAuditLog, the result posted back. Hashing every event happens here, not on the
 * server's event loop.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openPostgres } from "@/db/client";
import { verifyAuditLog } from "./verify";

const { url, batchSize } = workerData as { url: string; batchSize: number };
const handle = await openPostgres(url, 1);
try {
  parentPort?.postMessage({ result: await verifyAuditLog(handle.db, { batchSize }) });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  await handle.close();
}
