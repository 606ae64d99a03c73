/**
 * Compliance cockpit benchmark on real Postgres (results: docs/PERFORMANCE.md):
 *   npx tsx --conditions=react-server bench/compliance/run.ts [--events=1000000] [--reps=10]
 *     [--bundle-events=100000] [--url=postgres://postgres@127.0.0.1:5432/postgres] [--smoke]
 *     [--keep-bundle=FILE]   (a copy of the bundle, to verify again with `npm run audit:verify-bundle -- FILE`)
 * Loads --events synthetic audit events spread over 30 days (bench/audit's generator, real
 * MACs), seals them, adds one real 100-turn run (300 tool calls, its events sealed), then:
 * 1. explorer first page (50) per query, including wide time windows;  2. facet counts;
 * 3. lineage of the 100-turn run;  4. JSONL export of the whole log (events/s, RSS growth);
 * 5. an evidence bundle of about --bundle-events events, verified offline (time).
 * Creates a scratch database i14_bench_compliance_<random> and drops it at the end.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { openPostgres, type Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import {
  appendAuditEvents,
  listAuditQuery,
  searchIndexedThrough,
  startAuditSealer,
  startAuditSearchIndexer,
  type AuditInput,
  auditFacets,
  parseAuditQueryOr400,
  resolveAuditQuery,
  exportAudit,
  verifyBundleFile,
} from "@/lib/audit";
import { resetEnvCache } from "@/lib/env";
import { runLineage } from "@/lib/lineage";
import { withScratchDatabase } from "../scratch-database";
import { bulkLoad } from "../audit/bulk-load";
import { arg, int, ms, summarize } from "../audit/stats";

const smoke = process.argv.includes("--smoke");
const serverUrl = arg("url", process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const totalEvents = Number(arg("events", smoke ? "5000" : "1000000"));
const reps = Number(arg("reps", smoke ? "2" : "10"));
const bundleEvents = Number(arg("bundle-events", smoke ? "1000" : "100000"));
const SPAN_MS = 30 * 86_400_000;
const RUN = "b3nch000-0000-4000-8000-000000000100";
const reviewer = { kind: "user" as const, id: "bench-reviewer", label: "reviewer@bench", role: "reviewer" as const };

async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function hundredTurnRun(db: Db): Promise<void> {
  const governance = {
    owner: "o@bench",
    purpose: "bench",
    riskLevel: "limited",
    dataCategories: ["workspace"],
    humanOversight: "none",
    authorizedBy: "a@bench",
    authorizedAt: "2026-11-01",
    retentionDays: 30,
  };
  await db.execute(
    sql`insert into jobs (id, domain, title, current_version, declaration) values ('bench-job', 'bench', 'Bench job', 'v1', ${JSON.stringify({ governance })}::jsonb)`,
  );
  await db.execute(
    sql`insert into job_versions (job_id, version, declaration) values ('bench-job', 'v1', ${JSON.stringify({ governance })}::jsonb)`,
  );
  await db.execute(sql`
    insert into runs (id, job_id, job_version, state, governance, trigger_kind, actor_kind, actor_id, actor_label, input, model_endpoint, budget_tokens, budget_turns, budget_wall_clock_ms, fair_group, finished_at)
    values (${RUN}, 'bench-job', 'v1', 'succeeded', ${JSON.stringify(governance)}::jsonb, 'manual', 'user', 'u-1', 'u-1@flightdeck.local', '{}'::jsonb, 'default', 1000000, 100, 600000, 'bench', now())`);
  const events: AuditInput[] = [];
  const auth = {
    via: "job-governance",
    jobId: "bench-job",
    jobVersion: "v1",
    authorizedBy: "a@bench",
    authorizedAt: "2026-11-01",
  };
  events.push({
    actor: { kind: "user", id: "u-1", label: "u-1@flightdeck.local" },
    authorization: { via: "session", role: "operator" },
    action: "run.created",
    subject: { type: "run", id: RUN },
    payload: { jobId: "bench-job", jobVersion: "v1" },
  });
  for (let t = 0; t < 100; t += 1) {
    events.push({
      actor: { kind: "system", id: "worker-1", label: "worker" },
      authorization: auth,
      action: "turn.completed",
      subject: { type: "run", id: RUN },
      payload: { jobId: "bench-job", turnIndex: t },
    });
    for (let c = 0; c < 3; c += 1) {
      const tool = ["write_file", "state_set", "http_fetch"][c] as string;
      const input =
        c === 0 ? { path: `notes/${t}.md` } : c === 1 ? { key: `k${t}` } : { url: `https://api${t % 5}.example.com/x` };
      events.push({
        actor: { kind: "run", id: RUN, label: `run ${RUN}` },
        authorization: auth,
        action: "tool.called",
        subject: { type: "run", id: RUN },
        payload: {
          jobId: "bench-job",
          tool,
          callKey: `${RUN}:${t}:${c}`,
          turnIndex: t,
          callIndex: c,
          outcome: "succeeded",
          input,
          output: null,
          sideEffect: "workspace",
          dataCategories: ["workspace"],
        },
      });
    }
  }
  await db.transaction((tx) => appendAuditEvents(tx, events));
}

async function main() {
  process.env.FLIGHTDECK_AUDIT_BUNDLE_MAX_EVENTS = String(Math.max(bundleEvents * 2, 100_000));
  process.env.FLIGHTDECK_AUDIT_EXPORT_MAX_EVENTS = String(Math.max(totalEvents * 2, 1_000_000));
  resetEnvCache();
  const dir = await mkdtemp(path.join(tmpdir(), "i14-bench-"));
  try {
    await withScratchDatabase(serverUrl, { prefix: "i14_bench_compliance", poolSize: 4 }, async (handle, url) => {
      const db = handle.db;
      const start = Date.now() - SPAN_MS;
      console.log(`# loading ${int(totalEvents)} events over 30 days…`);
      await bulkLoad(url, 1, totalEvents, start, Math.max(1, Math.floor(SPAN_MS / totalEvents)));
      await hundredTurnRun(db);
      const sealerHandle = await openPostgres(url, 2);
      const sealer = startAuditSealer(sealerHandle, { log: () => {} });
      const seal = await timeIt(() => sealer.drain());
      await sealer.stop();
      console.log(`# sealed in ${(seal.ms / 1000).toFixed(1)} s`);
      // The explorer's free-text index, built behind the sealer the way a deployment builds it.
      const indexer = startAuditSearchIndexer(sealerHandle, { log: () => {} });
      const indexed = await timeIt(() => indexer.drain());
      await indexer.stop();
      await sealerHandle.close();
      await db.execute(sql`vacuum analyze audit_search`);
      const total = await searchIndexedThrough(db);
      console.log(
        `# search index: ${int(total)} events in ${(indexed.ms / 1000).toFixed(1)} s = ${int(total / (indexed.ms / 1000))} events/s`,
      );
      await db.execute(sql`vacuum analyze audit_events`);
      await db.execute(sql`vacuum analyze audit_seqs`);

      const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 19);
      const queries = [
        "",
        "action:run.*",
        "action:approval.*",
        "actor:user:u-3",
        "actor:u-3",
        "job:invoice-check",
        "token:tok-3",
        "subject:signal:sig-4",
        "outcome:continue",
        `run:${RUN.slice(0, 8)}`,
        "since:7d",
        `since:${day(29)} until:${day(1)}`,
        `action:auth.sign_in_failed since:${day(29)} until:${day(28)}`,
        "action:user.role_changed",
        "action:tool.called since:24h",
        // Free text: one match; ~10 matches near the log's start; a word common in every part of the log;
        // a word too common for the index whose matches are all in the oldest tenth, alone and with other
        // terms (broad, narrow, matching none of its events, a window without any, one at the log's start);
        // a word in 85% of the events, alone and up to five days ago.
        `"notes/42.md"`,
        "run-0004200",
        "invoice-check",
        "run-000",
        "run-000 action:turn.completed",
        "run-000 actor:u-3",
        "run-000 action:auth.sign_in",
        "run-000 since:7d",
        `run-000 until:${day(29)}`,
        "jobid",
        `jobid until:${day(5)}`,
      ];
      console.log(
        "\n## Explorer first page (50 events), p50 / max over reps\n\n| query | rows | p50 ms | max ms |\n|---|---|---|---|",
      );
      for (const q of queries) {
        const times: number[] = [];
        let rows = 0;
        for (let i = 0; i < reps + 1; i += 1) {
          const r = await timeIt(async () => {
            return listAuditQuery(db, await resolveAuditQuery(db, parseAuditQueryOr400(q)), { limit: 50 });
          });
          if (i > 0) times.push(r.ms);
          rows = r.value.events.length;
        }
        const s = summarize(times);
        console.log(`| \`${q || "(everything)"}\` | ${rows} | ${ms(s.p50)} | ${ms(s.max)} |`);
      }

      console.log("\n## Facet counts (actions, actors, runs)\n\n| query | p50 ms | max ms |\n|---|---|---|");
      for (const q of [
        "",
        "action:run.*",
        "since:7d",
        "job:invoice-check",
        `action:tool.called since:${day(3)}`,
        `run:${RUN.slice(0, 8)}`,
        `"notes/42.md"`,
        "run-0004200",
        "invoice-check",
      ]) {
        const times: number[] = [];
        for (let i = 0; i < Math.min(reps, 5) + 1; i += 1) {
          const r = await timeIt(async () => auditFacets(db, await resolveAuditQuery(db, parseAuditQueryOr400(q))));
          if (i > 0) times.push(r.ms);
        }
        const s = summarize(times);
        console.log(`| \`${q || "(everything)"}\` | ${ms(s.p50)} | ${ms(s.max)} |`);
      }

      const lineageTimes: number[] = [];
      let calls = 0;
      for (let i = 0; i < reps + 1; i += 1) {
        const r = await timeIt(() => runLineage(db, RUN));
        if (i > 0) lineageTimes.push(r.ms);
        calls = r.value.toolCalls.length;
      }
      const ls = summarize(lineageTimes);
      console.log(
        `\n## Lineage of a 100-turn run (${calls} tool calls, ${calls + 101} events): p50 ${ms(ls.p50)} ms, max ${ms(ls.max)} ms`,
      );

      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      const exported = await timeIt(async () => {
        const res = await exportAudit(db, reviewer, "", "jsonl");
        let lines = 0;
        const body = res.body;
        if (!body) return 0;
        for await (const chunk of Readable.fromWeb(body as NodeReadableStream<Uint8Array>)) {
          const buf = chunk as Buffer;
          for (let i = 0; i < buf.length; i += 1) if (buf[i] === 10) lines += 1;
        }
        return lines;
      });
      clearInterval(sampler);
      console.log(
        `\n## JSONL export of the whole log: ${int(exported.value)} events in ${(exported.ms / 1000).toFixed(1)} s = ${int(exported.value / (exported.ms / 1000))} events/s; RSS ${int(rss0 / 2 ** 20)} MiB → peak ${int(peak / 2 ** 20)} MiB`,
      );

      // A window holding about bundleEvents events (they are evenly spread over 30 days).
      const windowMs = Math.floor((SPAN_MS * bundleEvents) / totalEvents);
      const from = new Date(start + SPAN_MS / 2);
      const q = `since:${from.toISOString()} until:${new Date(from.getTime() + windowMs).toISOString()}`;
      const file = path.join(dir, "bundle.jsonl");
      const built = await timeIt(async () => {
        const res = await exportAudit(db, reviewer, q, "bundle");
        if (!res.body) throw new Error("no body");
        await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(file));
        return Number(res.headers.get("x-audit-export-events"));
      });
      const verified = await timeIt(() => verifyBundleFile(file));
      const keep = arg("keep-bundle", "");
      if (keep) await copyFile(file, keep);
      console.log(
        `\n## Evidence bundle: ${int(built.value)} events written in ${(built.ms / 1000).toFixed(1)} s; offline verification ${verified.value.ok ? "OK" : `FAILED (${verified.value.problem})`} of ${int(verified.value.events)} events in ${(verified.ms / 1000).toFixed(2)} s`,
      );
      const [count] = rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from audit_events`));
      console.log(`\n# log size ${int(Number(count?.n ?? 0))} events`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
