/**
 * Worker-thread body of a parallel verify (started by verify-workers.ts through
 * scripts/lib/ts-worker.mjs): its own Postgres connection; each message names a seq range,
 * answered with checkChunk's result, its subtree hashes transferred. Ranges are queued on the one
 * connection as they arrive, so Postgres reads the next while this thread hashes the current.
 */
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { SEALED_ROW_SELECT, type SealedRow } from "./sealed-row";
import { ChunkChecker } from "./verify-chunk";

export interface ChunkRequest {
  index: number;
  after: number;
  upTo: number;
}

const { url, macKey } = workerData as { url: string; macKey: Uint8Array };
const key = Buffer.from(macKey);
// A range is read through audit_log (audit_seqs' key, then each event by id); planned in parallel,
// every range started two Postgres workers that competed with the hashing threads on the same cores
// (17 ms a range of 4,096 at 1M events instead of 8 ms).
const client = new pg.Client({
  connectionString: url,
  application_name: "flightdeck-audit-verify",
  options: "-c max_parallel_workers_per_gather=0",
});
// A dropped connection fails the pending query, which is reported; the event must not crash the thread.
client.on("error", () => {});
await client.connect();
const rangeQuery = `${SEALED_ROW_SELECT} where seq > $1 and seq <= $2 order by seq`;

parentPort?.on("message", (request: ChunkRequest | "close") => {
  if (request === "close") {
    void client.end().finally(() => parentPort?.close());
    return;
  }
  // Rows are checked as the driver parses them; none is kept once checked.
  const checker = new ChunkChecker(request.after, request.upTo, key);
  const query = client.query(new pg.Query<SealedRow>(rangeQuery, [request.after, request.upTo]));
  let failed: unknown = null;
  // An exception must not escape into the driver's socket handler: it is reported when the query ends.
  query.on("row", (row: SealedRow) => {
    try {
      if (failed === null) checker.add(row);
    } catch (error) {
      failed = error;
    }
  });
  query.on("end", () => {
    if (failed !== null) return reply(request.index, failed);
    const chunk = checker.finish();
    parentPort?.postMessage({ index: request.index, chunk }, [chunk.nodes.buffer as ArrayBuffer]);
  });
  query.on("error", (error: Error) => reply(request.index, error));
});

function reply(index: number, error: unknown): void {
  parentPort?.postMessage({ index, error: error instanceof Error ? error.message : String(error) });
}
