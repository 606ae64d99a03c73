/**
 * GET /api/audit/verify must not starve the server. Measures what a health probe sees
 * (a `select 1` round trip every 20 ms, plus event-loop lag) while four verifications
 * are requested at once: the old way (four in-process verifyAuditChain calls) and the
 * guarded way (lib/audit/verify-guard.ts: single-flight, worker thread on Postgres).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:verify        # 100,000 events
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:verify:smoke  # 2,000 events
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import { sealBatch, verifyAuditChain, verifyAuditChainGuarded } from "@/lib/audit";
import { bulkLoad } from "../audit/bulk-load";
import { withScratchDatabase } from "../scratch-database";

const smoke = process.argv.includes("--smoke");
const events = smoke ? 2_000 : 100_000;
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface Probe {
  probes: number;
  p50Ms: number;
  maxMs: number;
  maxLoopLagMs: number;
  verifySeconds: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function probeWhile(handle: DatabaseHandle, work: () => Promise<unknown>): Promise<Probe> {
  const latencies: number[] = [];
  let maxLag = 0;
  let running = true;
  const lagTimer = (() => {
    let last = performance.now();
    return setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 10);
      last = now;
    }, 10);
  })();
  const prober = (async () => {
    while (running) {
      const t0 = performance.now();
      await handle.db.execute(sql`select 1`);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  await work();
  const verifySeconds = (performance.now() - t0) / 1000;
  running = false;
  await prober;
  clearInterval(lagTimer);
  return {
    probes: latencies.length,
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    maxMs: Math.round(Math.max(...latencies) * 10) / 10,
    maxLoopLagMs: Math.round(maxLag),
    verifySeconds: Math.round(verifySeconds * 100) / 100,
  };
}

await withScratchDatabase(serverUrl, { prefix: "i12_bench_verify", poolSize: 10 }, async (handle, url) => {
  await bulkLoad(url, 1, events, Date.now() - events, 1);
  // Seal what was loaded, so the walk covers a signed Merkle log, not just unsealed MACs.
  while (((await sealBatch(handle.db))?.sealed ?? 0) > 0);
  const baseline = await probeWhile(handle, () => new Promise((r) => setTimeout(r, 500)));
  const inProcess = await probeWhile(handle, () =>
    Promise.all(Array.from({ length: 4 }, () => verifyAuditChain(handle.db, { batchSize: 2000 }))),
  );
  const guarded = await probeWhile(handle, () =>
    Promise.all(Array.from({ length: 4 }, () => verifyAuditChainGuarded(handle))),
  );
  console.log(JSON.stringify({ events, baseline, fourInProcess: inProcess, fourGuarded: guarded }, null, 2));
});
process.exit(0);
