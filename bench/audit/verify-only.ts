/**
 * Verification alone on a log of --events (see RESULTS.md): bulk-loads and seals the log
 * as run.ts does (parts 1, 3 and 4 skipped), then times verifyAuditLog --runs times, each in
 * a fresh process (wall, CPU of the process and its threads, peak RSS).
 *   npm run bench:audit:verify -- --events=1000000 [--threads=2] [--batch=5000] [--runs=1]
 *     [--keep=fd_verify_1m]   leave the database for later runs (drop it with dropdb)
 *     [--reuse=fd_verify_1m]  time verify on that database as it is, without loading
 *     [--url=postgres://postgres@127.0.0.1:5432/postgres]
 * --reuse also lets another checkout's verify-child.ts be timed on the very same log.
 * --smoke: 2,000 events, for CI (npm run bench:audit:verify:smoke), so the mode cannot rot.
 */
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { startAuditSealer } from "@/lib/audit";
import { bulkLoad } from "./bulk-load";
import { arg, int, loadavg, mib } from "./stats";
import { measureVerify } from "./verify-run";

const serverUrl = arg("url", "postgres://postgres@127.0.0.1:5432/postgres");
const smoke = process.argv.includes("--smoke");
const events = Number(arg("events", smoke ? "2000" : "1000000"));
const threadArg = arg("threads", "");
const threads = threadArg === "" ? undefined : Number(threadArg);
const batchArg = arg("batch", "");
const batchSize = batchArg === "" ? undefined : Number(batchArg);
const runs = Number(arg("runs", "1"));
const keep = arg("keep", "");
const reuse = arg("reuse", "");
const root = path.resolve(import.meta.dirname, "../..");

const admin = (sql: string) => {
  const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
  return client.unsafe(sql).finally(() => client.end());
};

function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrated database holding `count` sealed events, loaded and sealed as run.ts part 2 does. */
async function build(name: string, count: number): Promise<void> {
  await admin(`create database "${name}"`);
  const url = databaseUrl(name);
  const handle = await openPostgres(url, 2);
  const sealer = startAuditSealer(handle, { log: () => {} });
  try {
    await runMigrations(handle);
    const spanMs = 30 * 86_400_000;
    const load = await bulkLoad(url, 1, count, Date.now() - spanMs, Math.max(1, Math.floor(spanMs / count)));
    const t0 = performance.now();
    await sealer.drain();
    const sealSeconds = (performance.now() - t0) / 1000;
    await handle.db.execute(sql`vacuum analyze audit_events`);
    await handle.db.execute(sql`vacuum analyze audit_seqs`);
    console.log(
      `# ${int(count)} events: loaded in ${load.seconds.toFixed(1)} s, sealed in ${sealSeconds.toFixed(1)} s`,
    );
  } finally {
    await sealer.stop();
    await handle.close();
  }
}

async function main() {
  const name = reuse || keep || `fd_bench_verify_${Math.random().toString(16).slice(2, 10)}`;
  console.log(`# ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}; database ${name}`);
  try {
    if (!reuse) await build(name, events);
    console.log(
      "| threads | batch | events checked | ok | wall s | events/s | CPU s (all threads) | peak RSS MiB | load 1m / 5m / 15m |\n|---|---|---|---|---|---|---|---|---|",
    );
    for (let run = 0; run < runs; run += 1) {
      const m = await measureVerify(root, databaseUrl(name), batchSize, threads);
      console.log(
        `| ${threads ?? "default"} | ${m.batchSize} | ${int(m.result.checked)} | ${m.result.ok ? "yes" : `NO: ${m.result.problem} at ${m.result.firstBadSeq}`} | ${m.seconds.toFixed(2)} | ${int(m.result.checked / m.seconds)} | ${m.cpuSeconds.toFixed(1)} | ${mib(m.peakRss)} | ${loadavg(os.loadavg())} |`,
      );
    }
  } finally {
    if (!reuse && !keep) await admin(`drop database if exists "${name}" with (force)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
