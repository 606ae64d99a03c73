/**
 * Audit-log benchmark on real Postgres (see RESULTS.md):
 *   npx tsx --conditions=react-server bench/audit/run.ts [--events=1000000] [--writers=1,4,16]
 *     [--per-tx=1,10] [--duration=10] [--verify-batches=default,10000] [--reps=20] [--limit=50]
 *     [--span-days=30] [--tail-duration=5] [--url=postgres://postgres@127.0.0.1:5432/postgres]
 * 1. Append rate: N writers, each committing transactions of appendAudit calls for
 *    --duration seconds (after one unreported warm-up second); the whole chain is verified
 *    after every phase.
 * 2. The chain is extended to --events by one COPY of rows chained here with the same
 *    computeAuditHash, then verifyAuditChain runs over it in a fresh process per batch size.
 * 3. Explorer queries (listAuditEvents) over the full log: first page and a deep cursor page.
 * 4. Append rate again on top of the full log (1 event/tx, --tail-duration s per phase; 0
 *    skips it), then one more verification of the whole chain.
 * Creates a scratch database fd_bench_audit_<random> on --url and drops it at the end.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/rows";
import { getAuditHead, verifyAuditChain } from "@/lib/audit";
import { appendPhase, type AppendResult } from "./append-rate";
import { bulkLoad } from "./bulk-load";
import { runId, userId } from "./events";
import { measureQueries, type QueryCase } from "./explorer";
import { arg, int, loadavg, mib, ms } from "./stats";
import { measureVerify, type VerifyMeasure } from "./verify-run";
import { withScratchDatabase } from "../scratch-database";

const serverUrl = arg("url", "postgres://postgres@127.0.0.1:5432/postgres");
const totalEvents = Number(arg("events", "1000000"));
const writerCounts = arg("writers", "1,4,16").split(",").map(Number);
const perTxCounts = arg("per-tx", "1,10").split(",").map(Number);
const durationMs = Number(arg("duration", "10")) * 1000;
const verifyBatches = arg("verify-batches", "default,10000").split(",").map((b) => (b === "default" ? undefined : Number(b)));
const reps = Number(arg("reps", "20"));
const limit = Number(arg("limit", "50"));
const spanMs = Number(arg("span-days", "30")) * 86_400_000;
const tailMs = Number(arg("tail-duration", "5")) * 1000;
const root = path.resolve(import.meta.dirname, "../..");

const appendHeader =
  "| writers | events/tx | transactions | events | events/s | tx p50 ms | tx p95 ms | tx max ms | chain verified | load 1m |\n|---|---|---|---|---|---|---|---|---|---|";
const appendRow = (r: AppendResult, verified: string, load: number[]) =>
  `| ${r.writers} | ${r.eventsPerTx} | ${int(r.transactions)} | ${int(r.events)} | ${int(r.eventsPerSecond)} | ${ms(r.txLatencyMs.p50)} | ${ms(r.txLatencyMs.p95)} | ${ms(r.txLatencyMs.max)} | ${verified} | ${load[0]?.toFixed(2)} |`;

async function main() {
  const startedAt = performance.now();
  const report: Record<string, unknown> = { command: `npx tsx --conditions=react-server bench/audit/run.ts ${process.argv.slice(2).join(" ")}`.trim() };
  await withScratchDatabase(serverUrl, { prefix: "fd_bench_audit", poolSize: Math.max(...writerCounts) + 2 }, async (handle, url) => {
    const settings = rowsOf<{ name: string; setting: string }>(
      await handle.db.execute(sql`select name, current_setting(name) as setting from pg_settings where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'wal_sync_method', 'commit_delay')`),
    );
    const [version] = rowsOf<{ v: string }>(await handle.db.execute(sql`select version() as v`));
    const machine = {
      cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: version?.v.split(" on ")[0],
      settings: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
      loadAtStart: os.loadavg(),
      date: new Date().toISOString(),
      database: name,
    };
    report.machine = machine;
    console.log(`# machine: ${machine.cpus}, ${machine.memoryGiB} GiB, node ${machine.node}; ${machine.postgres}`);
    console.log(`# postgres settings: ${JSON.stringify(machine.settings)}`);
    console.log(`# load average at start (1/5/15 min): ${loadavg(machine.loadAtStart)}`);

    // 1. Append rate under concurrent writers.
    let index = 0;
    const appends: (AppendResult & { verified: number; verifyMs: number; load: number[] })[] = [];
    console.log(`\n## 1. Append rate (${durationMs / 1000} s per phase)\n`);
    console.log(appendHeader);
    // One unreported second first, so the first phase does not also pay JIT and connection warm-up.
    await appendPhase(handle.db, Math.max(...writerCounts), 1, 1000, () => ++index);
    for (const perTx of perTxCounts) {
      for (const writers of writerCounts) {
        const r = await appendPhase(handle.db, writers, perTx, durationMs, () => ++index);
        const v0 = performance.now();
        const verified = await verifyAuditChain(handle.db);
        const verifyMs = performance.now() - v0;
        if (!verified.ok) throw new Error(`chain broken after append phase: ${JSON.stringify(verified)}`);
        const load = os.loadavg();
        appends.push({ ...r, verified: verified.checked, verifyMs, load });
        console.log(appendRow(r, `ok (${int(verified.checked)})`, load));
      }
    }
    report.appends = appends;

    // 2. Bulk-load to totalEvents, then verify the whole chain.
    const head = await getAuditHead(handle.db);
    const headMs = head.ts === null ? Date.now() : Date.parse(head.ts);
    const stepMs = Math.max(1, Math.floor(spanMs / Math.max(1, totalEvents - head.seq)));
    console.log(`\n## 2. Bulk load and verification\n`);
    const load = await bulkLoad(url, { seq: head.seq, hash: head.hash, ms: headMs }, totalEvents, stepMs);
    const v0 = performance.now();
    await handle.db.execute(sql`vacuum analyze audit_events`);
    const vacuumSeconds = (performance.now() - v0) / 1000;
    const [size] = rowsOf<{ heap: string; total: string }>(
      await handle.db.execute(sql`select pg_relation_size('audit_events') as heap, pg_total_relation_size('audit_events') as total`),
    );
    console.log(`bulk load: ${int(load.rows)} rows after seq ${int(head.seq)} in ${load.seconds.toFixed(1)} s (${int(load.rows / load.seconds)} rows/s, one COPY, ts step ${stepMs} ms); vacuum analyze ${vacuumSeconds.toFixed(1)} s`);
    console.log(`table: heap ${mib(Number(size?.heap))} MiB, with indexes and toast ${mib(Number(size?.total))} MiB\n`);
    console.log("| batch size | events checked | ok | wall s | events/s | Node CPU s | RSS before MiB | peak RSS MiB | peak heap MiB | load 1m |\n|---|---|---|---|---|---|---|---|---|---|");
    const verifies: (VerifyMeasure & { load: number[] })[] = [];
    for (const batch of verifyBatches) {
      const m = await measureVerify(root, url, batch);
      const l = os.loadavg();
      verifies.push({ ...m, load: l });
      console.log(`| ${m.batchSize === "default" ? "default (1000)" : m.batchSize} | ${int(m.result.checked)} | ${m.result.ok ? "yes" : `NO: ${m.result.problem} at ${m.result.firstBadSeq}`} | ${m.seconds.toFixed(1)} | ${int(m.result.checked / m.seconds)} | ${m.cpuSeconds.toFixed(1)} | ${mib(m.baselineRss)} | ${mib(m.peakRss)} | ${mib(m.peakHeap)} | ${l[0]?.toFixed(2)} |`);
      if (!m.result.ok || m.result.checked !== totalEvents) throw new Error(`verification failed: ${JSON.stringify(m.result)}`);
    }
    report.bulk = { ...load, stepMs, vacuumSeconds, heapBytes: Number(size?.heap), totalBytes: Number(size?.total) };
    report.verifies = verifies;

    // 3. Explorer queries over the full log.
    const midFrom = new Date(load.firstMs + (load.head.ms - load.firstMs) / 2);
    const midTo = new Date(midFrom.getTime() + 3_600_000);
    const [mid] = rowsOf<{ seq: string }>(
      await handle.db.execute(sql`select min(seq) as seq from audit_events where ts >= ${new Date(midFrom.getTime() + 1_800_000).toISOString()}`),
    );
    const runIndex = Math.floor(totalEvents / 20);
    const deep = Math.floor(totalEvents / 10);
    const cases: QueryCase[] = [
      { name: "no filter", filter: {} },
      { name: "no filter, deep cursor", filter: { cursor: deep } },
      { name: "action = turn.completed (30%)", filter: { action: "turn.completed" } },
      { name: "action = turn.completed, deep cursor", filter: { action: "turn.completed", cursor: deep } },
      { name: "action = user.role_changed (0.1%)", filter: { action: "user.role_changed" } },
      { name: "action = user.role_changed, deep cursor", filter: { action: "user.role_changed", cursor: deep } },
      { name: "actor = user u-25 (~0.25%)", filter: { actorKind: "user", actorId: userId(25) } },
      { name: "actor = user u-25, deep cursor", filter: { actorKind: "user", actorId: userId(25), cursor: deep } },
      { name: `subject = run ${runId(runIndex)}`, filter: { subjectType: "run", subjectId: runId(runIndex) } },
      { name: "subject = run, cursor inside its events", filter: { subjectType: "run", subjectId: runId(runIndex), cursor: runIndex * 10 + 5 } },
      { name: "ts in a 1 h window mid-log", filter: { from: midFrom, to: midTo } },
      { name: "ts in a 1 h window, cursor mid-window", filter: { from: midFrom, to: midTo, cursor: Number(mid?.seq) } },
      { name: "ts in a 7 day window mid-log", filter: { from: midFrom, to: new Date(midFrom.getTime() + 7 * 86_400_000) } },
      { name: "ts in the first 7 days of the log", filter: { from: new Date(load.firstMs), to: new Date(load.firstMs + 7 * 86_400_000) } },
      { name: "ts in the last 24 h of the log", filter: { from: new Date(load.head.ms - 86_400_000) } },
    ];
    console.log(`\n## 3. Explorer queries (listAuditEvents, limit ${limit}, ${reps} timed reps after 2 warm-ups; deep cursor = seq ${int(deep)})\n`);
    console.log("| query | rows | first ms | p50 ms | p95 ms | max ms | n | plan |\n|---|---|---|---|---|---|---|---|");
    const queries = await measureQueries(url, cases, limit, reps, 20_000);
    for (const q of queries) {
      console.log(`| ${q.name} | ${q.rows} | ${ms(q.firstMs)} | ${ms(q.latencyMs.p50)} | ${ms(q.latencyMs.p95)} | ${ms(q.latencyMs.max)} | ${q.latencyMs.n} | ${q.plan} |`);
    }
    report.queries = { window: { from: midFrom.toISOString(), to: midTo.toISOString() }, deepCursor: deep, results: queries };

    // 4. Appends on top of the full log, then the whole chain verified once more.
    if (tailMs > 0) {
      console.log(`\n## 4. Append rate on top of ${int(totalEvents)} events (${tailMs / 1000} s per phase, verified once at the end)\n`);
      console.log(appendHeader);
      const tail: (AppendResult & { load: number[] })[] = [];
      for (const writers of writerCounts) {
        const r = await appendPhase(handle.db, writers, 1, tailMs, () => ++index);
        const l = os.loadavg();
        tail.push({ ...r, load: l });
        console.log(appendRow(r, "see below", l));
      }
      const v0 = performance.now();
      const verified = await verifyAuditChain(handle.db);
      const verifySeconds = (performance.now() - v0) / 1000;
      console.log(`\nfinal verification: ${verified.ok ? "ok" : "BROKEN"}, ${int(verified.checked)} events in ${verifySeconds.toFixed(1)} s`);
      if (!verified.ok) throw new Error(`chain broken after tail appends: ${JSON.stringify(verified)}`);
      report.tail = { appends: tail, verified, verifySeconds };
    }
    report.loadAtEnd = os.loadavg();
    report.totalSeconds = (performance.now() - startedAt) / 1000;
    console.log(`\n# load average at end: ${loadavg(os.loadavg())}; total ${(report.totalSeconds as number).toFixed(0)} s`);
    writeFileSync(path.join(root, "bench/audit/results.json"), `${JSON.stringify(report, null, 2)}\n`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
