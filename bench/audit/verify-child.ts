/**
 * One verifyAuditLog pass in a process of its own, so its peak RSS is not mixed with
 * the bulk load's. Spawned by run.ts; prints one JSON line.
 *   node --conditions=react-server --import tsx bench/audit/verify-child.ts --url=… --batch=1000
 */
import { sql } from "drizzle-orm";
import { openPostgres } from "@/db/client";
import { verifyAuditLog } from "@/lib/audit";
import { arg } from "./stats";

async function main() {
  const url = arg("url", "");
  const batchSize = Number(arg("batch", "0")) || undefined;
  // Worker threads reading and hashing ranges (verifyAuditLog's url option); unset: its default.
  const threadArg = arg("threads", "");
  const threads = threadArg === "" ? undefined : Number(threadArg);
  const handle = await openPostgres(url, 2);
  try {
    await handle.db.execute(sql`select 1`);
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const timer = setInterval(sample, 10);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await verifyAuditLog(handle.db, {
      anchorDir: null,
      url,
      ...(batchSize === undefined ? {} : { batchSize }),
      ...(threads === undefined ? {} : { threads }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(timer);
    sample();
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(
      JSON.stringify({
        batchSize: batchSize ?? "default",
        result,
        seconds,
        cpuSeconds,
        baselineRss: baseline.rss,
        peakRss,
        peakHeap,
      }),
    );
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
