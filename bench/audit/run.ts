/**
 * Audit-log benchmark on real Postgres (see RESULTS.md):
 *   npx tsx --conditions=react-server bench/audit/run.ts [--events=1000000] [--writers=1,16]
 *     [--per-tx=1,10] [--duration=10] [--verify-batches=default] [--proofs=1000] [--reps=20]
 *     [--limit=50] [--span-days=30] [--url=postgres://postgres@127.0.0.1:5432/postgres] [--smoke]
 *     [--modes=transaction,autocommit]
 * 1. Append rate: N writers, each committing transactions of k events (one insert) for
 *    --duration seconds while the sealer runs in the same process on its own connection,
 *    each transaction sent as BEGIN, insert, COMMIT ("transaction") or as the insert alone ("autocommit");
 *    after each phase the sealer drains and the sealing lag of every event of the phase is
 *    measured (checkpoint time of the batch that sealed it − the event's ts).
 * 2. The log is extended to --events by one COPY of unsealed events carrying real MACs,
 *    the sealer integrates them (its throughput is reported), then verifyAuditLog runs
 *    over the whole log in a fresh process (time, CPU, peak RSS).
 * 3. Inclusion proofs at the full size: --proofs random seqs, and consistency proofs.
 * 4. Explorer queries (listAuditEvents) over the full log.
 * --smoke: a tiny run (2,000 events, short phases, no results file) for CI.
 * Creates a scratch database fd_bench_audit_<random> on --url and drops it at the end.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openPostgres, type Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { consistencyProof, inclusionProof, startAuditSealer } from "@/lib/audit";
import { latestCheckpoint } from "@/lib/audit";
import { appendPhase, type AppendResult } from "./append-rate";
import { bulkLoad } from "./bulk-load";
import { runId, userId } from "./events";
import { measureQueries, type QueryCase } from "./explorer";
import { arg, int, loadavg, mib, ms, summarize } from "./stats";
import { measureVerify, type VerifyMeasure } from "./verify-run";
import { withScratchDatabase } from "../scratch-database";

const smoke = process.argv.includes("--smoke");
const serverUrl = arg("url", "postgres://postgres@127.0.0.1:5432/postgres");
const totalEvents = Number(arg("events", smoke ? "2000" : "1000000"));
const writerCounts = arg("writers", smoke ? "1,4" : "1,16")
  .split(",")
  .map(Number);
const perTxCounts = arg("per-tx", "1,10").split(",").map(Number);
const modes = arg("modes", "transaction,autocommit")
  .split(",")
  .map((m) => {
    if (m !== "transaction" && m !== "autocommit") throw new Error(`--modes: "${m}" is not transaction or autocommit`);
    return m;
  });
const durationMs = Number(arg("duration", smoke ? "0.5" : "10")) * 1000;
const verifyBatches = arg("verify-batches", "default")
  .split(",")
  .map((b) => (b === "default" ? undefined : Number(b)));
const proofCount = Number(arg("proofs", smoke ? "20" : "1000"));
const reps = Number(arg("reps", smoke ? "2" : "20"));
const limit = Number(arg("limit", "50"));
const spanMs = Number(arg("span-days", "30")) * 86_400_000;
const root = path.resolve(import.meta.dirname, "../..");

interface Lag {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

const appendHeader =
  "| writers | events/tx | sent as | transactions | events | events/s | tx p50 ms | tx p95 ms | seal lag p50 ms | seal lag p99 ms | seal lag max ms | load 1m |\n|---|---|---|---|---|---|---|---|---|---|---|---|";
const appendRow = (r: AppendResult, lag: Lag, load: number[]) =>
  `| ${r.writers} | ${r.eventsPerTx} | ${r.mode === "transaction" ? "BEGIN, insert, COMMIT" : "the insert alone"} | ${int(r.transactions)} | ${int(r.events)} | ${int(r.eventsPerSecond)} | ${ms(r.txLatencyMs.p50)} | ${ms(r.txLatencyMs.p95)} | ${ms(lag.p50)} | ${ms(lag.p99)} | ${ms(lag.max)} | ${load[0]?.toFixed(2)} |`;

async function main() {
  const startedAt = performance.now();
  const report: Record<string, unknown> = {
    command: `npx tsx --conditions=react-server bench/audit/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
  };
  await withScratchDatabase(
    serverUrl,
    { prefix: "fd_bench_audit", poolSize: Math.max(...writerCounts) + 2 },
    async (handle, url) => {
      const settings = rowsOf<{ name: string; setting: string }>(
        await handle.db.execute(
          sql`select name, current_setting(name) as setting from pg_settings where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'wal_sync_method', 'commit_delay')`,
        ),
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
      };
      report.machine = machine;
      console.log(`# machine: ${machine.cpus}, ${machine.memoryGiB} GiB, node ${machine.node}; ${machine.postgres}`);
      console.log(`# postgres settings: ${JSON.stringify(machine.settings)}`);
      console.log(`# load average at start (1/5/15 min): ${loadavg(machine.loadAtStart)}`);

      // The sealer on a connection of its own, as an instance runs it beside its writers.
      const sealerHandle = await openPostgres(url, 2);
      const sealer = startAuditSealer(sealerHandle, { log: () => {} });
      try {
        // 1. Append rate under concurrent writers, sealed as they go.
        let index = 0;
        const appends: (AppendResult & { lag: Lag; load: number[] })[] = [];
        console.log(`\n## 1. Append rate with the sealer running (${durationMs / 1000} s per phase)\n`);
        console.log(appendHeader);
        await appendPhase(handle.db, Math.max(...writerCounts), 1, Math.min(1000, durationMs), () => ++index);
        for (const mode of modes) {
          for (const perTx of perTxCounts) {
            for (const writers of writerCounts) {
              const [mark] = rowsOf<{ id: string | null }>(
                await handle.db.execute(sql`select max(id) as id from audit_events`),
              );
              const r = await appendPhase(handle.db, writers, perTx, durationMs, () => ++index, mode);
              await sealer.drain();
              const lag = await sealingLag(handle.db, Number(mark?.id ?? 0));
              const load = os.loadavg();
              appends.push({ ...r, lag, load });
              console.log(appendRow(r, lag, load));
            }
          }
        }
        report.appends = appends;

        // 2. Bulk-load to totalEvents, seal, verify.
        const [countRow] = rowsOf<{ n: string }>(await handle.db.execute(sql`select count(*) as n from audit_events`));
        const have = Number(countRow?.n ?? 0);
        const toLoad = Math.max(0, totalEvents - have);
        const stepMs = Math.max(1, Math.floor(spanMs / Math.max(1, toLoad)));
        console.log(`\n## 2. Bulk load, sealing and verification\n`);
        const load = await bulkLoad(url, index + 1, toLoad, Date.now() - spanMs, stepMs);
        index += toLoad;
        const s0 = performance.now();
        await sealer.drain();
        const sealSeconds = (performance.now() - s0) / 1000;
        const t0 = performance.now();
        await handle.db.execute(sql`vacuum analyze audit_events`);
        await handle.db.execute(sql`vacuum analyze audit_seqs`);
        await handle.db.execute(sql`vacuum analyze audit_tree_nodes`);
        const vacuumSeconds = (performance.now() - t0) / 1000;
        const [size] = rowsOf<{ heap: string; total: string; tree: string; seqs: string }>(
          await handle.db.execute(
            sql`select pg_relation_size('audit_events') as heap, pg_total_relation_size('audit_events') as total, pg_total_relation_size('audit_tree_nodes') as tree, pg_total_relation_size('audit_seqs') as seqs`,
          ),
        );
        console.log(
          `bulk load: ${int(load.rows)} unsealed events with MACs in ${load.seconds.toFixed(1)} s (one COPY)`,
        );
        console.log(
          `sealer: ${int(load.rows)} events integrated in ${sealSeconds.toFixed(1)} s (${int(load.rows / Math.max(sealSeconds, 1e-3))} events/s, batches of 10,000); vacuum analyze ${vacuumSeconds.toFixed(1)} s`,
        );
        console.log(
          `tables: audit_events heap ${mib(Number(size?.heap))} MiB, with indexes ${mib(Number(size?.total))} MiB; audit_seqs ${mib(Number(size?.seqs))} MiB; audit_tree_nodes ${mib(Number(size?.tree))} MiB\n`,
        );
        console.log(
          "| batch size | events checked | ok | wall s | events/s | Node CPU s | RSS before MiB | peak RSS MiB | peak heap MiB | load 1m |\n|---|---|---|---|---|---|---|---|---|---|",
        );
        const verifies: (VerifyMeasure & { load: number[] })[] = [];
        for (const batch of verifyBatches) {
          const m = await measureVerify(root, url, batch);
          const l = os.loadavg();
          verifies.push({ ...m, load: l });
          console.log(
            `| ${m.batchSize === "default" ? "default (5000)" : m.batchSize} | ${int(m.result.checked)} | ${m.result.ok ? "yes" : `NO: ${m.result.problem} at ${m.result.firstBadSeq}`} | ${m.seconds.toFixed(1)} | ${int(m.result.checked / m.seconds)} | ${m.cpuSeconds.toFixed(1)} | ${mib(m.baselineRss)} | ${mib(m.peakRss)} | ${mib(m.peakHeap)} | ${l[0]?.toFixed(2)} |`,
          );
          if (!m.result.ok || m.result.checked !== index)
            throw new Error(`verification failed: ${JSON.stringify(m.result)} (expected ${index})`);
        }
        report.bulk = {
          ...load,
          stepMs,
          sealSeconds,
          vacuumSeconds,
          heapBytes: Number(size?.heap),
          totalBytes: Number(size?.total),
          treeBytes: Number(size?.tree),
        };
        report.verifies = verifies;

        // 3. Proofs at full size.
        const head = await latestCheckpoint(handle.db);
        const treeSize = head?.treeSize ?? 0;
        const inclusion: number[] = [];
        const consistency: number[] = [];
        for (let i = 0; i < proofCount; i++) {
          const seq = 1 + Math.floor(Math.random() * treeSize);
          const a = performance.now();
          await inclusionProof(handle.db, seq);
          inclusion.push(performance.now() - a);
          const b = performance.now();
          await consistencyProof(handle.db, Math.max(1, seq - 1));
          consistency.push(performance.now() - b);
        }
        const pi = summarize(inclusion);
        const pc = summarize(consistency);
        const p99 = (values: number[]) =>
          [...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor(values.length * 0.99))] ?? 0;
        console.log(
          `\n## 3. Proofs at tree size ${int(treeSize)} (${proofCount} random seqs, in-process, one query each)\n`,
        );
        console.log("| proof | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|");
        console.log(`| inclusion | ${ms(pi.p50)} | ${ms(pi.p95)} | ${ms(p99(inclusion))} | ${ms(pi.max)} |`);
        console.log(
          `| consistency (seq−1 → latest) | ${ms(pc.p50)} | ${ms(pc.p95)} | ${ms(p99(consistency))} | ${ms(pc.max)} |`,
        );
        report.proofs = {
          treeSize,
          inclusion: { ...pi, p99: p99(inclusion) },
          consistency: { ...pc, p99: p99(consistency) },
        };

        // 4. Explorer queries over the full log.
        const deep = Math.floor(index / 10);
        const runIndex = Math.floor(index / 20);
        const mid = new Date(load.firstMs + (load.lastMs - load.firstMs) / 2);
        const cases: QueryCase[] = [
          { name: "no filter", filter: {} },
          { name: "no filter, deep cursor", filter: { cursor: deep } },
          { name: "action = turn.completed (30%)", filter: { action: "turn.completed" } },
          {
            name: "action = user.role_changed (0.1%), deep cursor",
            filter: { action: "user.role_changed", cursor: deep },
          },
          { name: "actor = user u-25 (~0.25%)", filter: { actorKind: "user", actorId: userId(25) } },
          { name: `subject = run ${runId(runIndex)}`, filter: { subjectType: "run", subjectId: runId(runIndex) } },
          { name: "ts in a 1 h window mid-log", filter: { from: mid, to: new Date(mid.getTime() + 3_600_000) } },
        ];
        console.log(
          `\n## 4. Explorer queries (listAuditEvents, limit ${limit}, ${reps} timed reps after 2 warm-ups)\n`,
        );
        console.log("| query | rows | p50 ms | p95 ms | max ms | plan |\n|---|---|---|---|---|---|");
        const queries = await measureQueries(url, cases, limit, reps, 20_000);
        for (const q of queries)
          console.log(
            `| ${q.name} | ${q.rows} | ${ms(q.latencyMs.p50)} | ${ms(q.latencyMs.p95)} | ${ms(q.latencyMs.max)} | ${q.plan} |`,
          );
        report.queries = queries;
      } finally {
        await sealer.stop();
        await sealerHandle.close();
      }
      report.loadAtEnd = os.loadavg();
      report.totalSeconds = (performance.now() - startedAt) / 1000;
      console.log(
        `\n# load average at end: ${loadavg(os.loadavg())}; total ${(report.totalSeconds as number).toFixed(0)} s`,
      );
      if (!smoke) writeFileSync(path.join(root, "bench/audit/results.json"), `${JSON.stringify(report, null, 2)}\n`);
    },
  );
}

/** Per event since `afterId`: time from its ts to the clock time its sealing checkpoint was written. */
async function sealingLag(db: Db, afterId: number): Promise<Lag> {
  const [row] = rowsOf<{ n: string; p50: number | null; p99: number | null; max: number | null }>(
    await db.execute(sql`
      with c as (select tree_size, ts, coalesce(lag(tree_size) over (order by tree_size), 0) as prev from audit_checkpoints),
      l as (
        select extract(epoch from c.ts - e.ts) * 1000 as lag_ms
        from audit_log e join c on e.seq > c.prev and e.seq <= c.tree_size
        where e.id > ${afterId}
      )
      select count(*) as n, percentile_cont(0.5) within group (order by lag_ms) as p50,
             percentile_cont(0.99) within group (order by lag_ms) as p99, max(lag_ms) as max from l`),
  );
  return { n: Number(row?.n ?? 0), p50: Number(row?.p50 ?? 0), p99: Number(row?.p99 ?? 0), max: Number(row?.max ?? 0) };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
