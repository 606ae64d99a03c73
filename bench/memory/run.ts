/**
 * Shared-memory and lock benchmark (results: docs/PERFORMANCE.md, "Shared memory and locks"):
 *   npx tsx --conditions=react-server bench/memory/run.ts [--url=postgres://postgres@127.0.0.1:5432/postgres]
 *     [--uncontended=1000] [--contenders=100] [--rounds=5] [--deadlocks=50] [--background=100] [--revert=1000]
 *   npm run bench:memory:smoke      # tiny counts on embedded PGlite, no server needed
 * 1. Uncontended: one run locks and unlocks a fresh entity, each op its own transaction.
 * 2. Contention: --contenders runs each acquire/hold/release one entity --rounds times; a
 *    waiter is woken by the flightdeck_locks notification (the runtime's wake path), so the
 *    acquire time includes queueing behind the others.
 * 3. Deadlock detection: a two-run cycle closed by a request, with --background other runs
 *    waiting in the graph; the time is the closing request (detection and refusal included).
 * 4. Revert: one run writes --revert entities; preview (dry run) and apply are timed.
 * On Postgres a scratch database <prefix>_<random> is created and dropped at the end.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { openPglite, type DatabaseHandle } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { runMigrations } from "@/db/migrate";
import { systemPrincipal } from "@/lib/audit";
import { defineJob, registerJobDefinitions, syncRegistry } from "@/lib/jobs";
import {
  LOCKS_CHANNEL,
  registerCollections,
  releaseLock,
  requestLock,
  revertRunWrites,
  writeEntity,
  type WriteProvenance,
} from "@/lib/memory";
import { createRun } from "@/lib/runtime";
import { withScratchDatabase } from "../scratch-database";

function arg(name: string, fallback: string): string {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
}
const smoke = process.argv.includes("--smoke");
const serverUrl = arg("url", "postgres://postgres@127.0.0.1:5432/postgres");
const prefix = arg("prefix", "fd_bench_memory");
const n = (name: string, full: number, tiny: number) => Number(arg(name, String(smoke ? tiny : full)));
const uncontended = n("uncontended", 1000, 20);
const contenders = n("contenders", 100, 8);
const rounds = n("rounds", 5, 2);
const deadlocks = n("deadlocks", 50, 3);
const background = n("background", 100, 5);
const revertSize = n("revert", 1000, 50);

const job = defineJob({
  id: "bench-memory",
  title: "Memory bench",
  description: "Runs that only exist to own locks and writes.",
  triggers: [{ kind: "manual" }],
  agent: { model: "default", instructions: "bench", tools: [], maxTurns: 1 },
  budgets: { tokens: 1, turns: 1, wallClockMs: 3_600_000 },
  scheduling: { group: "bench", weight: 1, priority: 0 },
  memory: { write: ["bench"] },
  governance: {
    owner: "bench@acme.example",
    purpose: "Benchmark",
    riskLevel: "minimal",
    dataCategories: [],
    humanOversight: "none",
    authorizedBy: "bench@acme.example",
    authorizedAt: "2026-11-30",
    retentionDays: 1,
  },
});

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const summary = (values: number[]) => ({
  count: values.length,
  p50: round(pct(values, 50)),
  p99: round(pct(values, 99)),
  max: round(Math.max(...values)),
});
const round = (v: number) => Math.round(v * 100) / 100;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function bench(handle: DatabaseHandle) {
  const { db } = handle;
  registerCollections([{ name: "bench", description: "bench", schema: z.json() }]);
  registerJobDefinitions([job]);
  await syncRegistry(db, [job]);
  const actor = systemPrincipal("bench", "bench");
  const newRun = async () =>
    (await db.transaction((tx) => createRun(tx, { jobId: job.id, input: {}, trigger: { kind: "manual" }, actor }))).id;

  // 1. Uncontended.
  const solo = await newRun();
  const acquire: number[] = [];
  const release: number[] = [];
  for (let i = 0; i < uncontended; i++) {
    const entity = `bench/solo-${i % 50}`;
    const [r, a] = await timed(() =>
      db.transaction((tx) => requestLock(tx, { runId: solo, entity, mode: "exclusive", timeoutMs: 60_000 })),
    );
    if (r.status !== "held") throw new Error(`uncontended lock not granted: ${r.status}`);
    const [, b] = await timed(() => db.transaction((tx) => releaseLock(tx, solo, entity)));
    acquire.push(a);
    release.push(b);
  }

  // 2. Contention: every contender on one entity, woken by NOTIFY.
  const waiters = new Map<string, () => void>();
  const unlisten = await handle.listen(LOCKS_CHANNEL, (payload) => {
    for (const id of payload.split(",")) waiters.get(id)?.();
  });
  const ids: string[] = [];
  for (let i = 0; i < contenders; i++) ids.push(await newRun());
  const cAcquire: number[] = [];
  const cRequest: number[] = [];
  const cRelease: number[] = [];
  const handoff: number[] = [];
  let releasedAt = 0;
  const startAll = performance.now();
  await Promise.all(
    ids.map(async (runId) => {
      for (let r = 0; r < rounds; r++) {
        const start = performance.now();
        const granted = new Promise<void>((resolve) => waiters.set(runId, resolve));
        const [result, requestMs] = await timed(() =>
          db.transaction((tx) =>
            requestLock(tx, { runId, entity: "bench/hot", mode: "exclusive", timeoutMs: 600_000 }),
          ),
        );
        cRequest.push(requestMs);
        if (result.status === "waiting") {
          await granted;
          handoff.push(performance.now() - releasedAt);
        } else if (result.status !== "held") throw new Error(`contended lock refused: ${result.status}`);
        waiters.delete(runId);
        cAcquire.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 1));
        releasedAt = performance.now();
        const [, rel] = await timed(() => db.transaction((tx) => releaseLock(tx, runId, "bench/hot")));
        releasedAt = Math.max(releasedAt, performance.now() - rel);
        cRelease.push(rel);
      }
    }),
  );
  const contentionSeconds = (performance.now() - startAll) / 1000;
  await unlisten();

  // 3. Deadlock detection with background waiters in the graph.
  const holder = await newRun();
  await db.transaction((tx) =>
    requestLock(tx, { runId: holder, entity: "bench/bg", mode: "exclusive", timeoutMs: 600_000 }),
  );
  for (let i = 0; i < background; i++) {
    const waiter = await newRun();
    await db.transaction((tx) =>
      requestLock(tx, { runId: waiter, entity: "bench/bg", mode: "exclusive", timeoutMs: 600_000 }),
    );
  }
  const detect: number[] = [];
  for (let i = 0; i < deadlocks; i++) {
    const [a, b] = [await newRun(), await newRun()];
    await db.transaction((tx) =>
      requestLock(tx, { runId: a, entity: `bench/x${i}`, mode: "exclusive", timeoutMs: 600_000 }),
    );
    await db.transaction((tx) =>
      requestLock(tx, { runId: b, entity: `bench/y${i}`, mode: "exclusive", timeoutMs: 600_000 }),
    );
    await db.transaction((tx) =>
      requestLock(tx, { runId: a, entity: `bench/y${i}`, mode: "exclusive", timeoutMs: 600_000 }),
    );
    const [r, ms] = await timed(() =>
      db.transaction((tx) =>
        requestLock(tx, { runId: b, entity: `bench/x${i}`, mode: "exclusive", timeoutMs: 600_000 }),
      ),
    );
    if (r.status !== "refused") throw new Error(`cycle not detected: ${r.status}`);
    detect.push(ms);
  }

  // 4. Revert of a run that wrote revertSize entities.
  const writer = await newRun();
  const provenance: WriteProvenance = {
    kind: "write",
    runId: writer,
    jobId: job.id,
    jobVersion: "bench",
    turnIndex: 0,
    callIndex: 0,
    toolCallKey: `${writer}:0:0`,
    actor: { kind: "run", id: writer, label: `run ${writer}` },
    authorization: { via: "job-governance" },
  };
  const [, writeMs] = await timed(async () => {
    for (let i = 0; i < revertSize; i += 100) {
      await db.transaction(async (tx) => {
        for (let j = i; j < Math.min(revertSize, i + 100); j++)
          await writeEntity(tx, { collection: "bench", key: `r${j}` }, { n: j }, { provenance });
      });
    }
  });
  const by = { actor: { kind: "system" as const, id: "bench", label: "bench" }, authorization: { via: "system" } };
  const [preview, previewMs] = await timed(() => revertRunWrites(db, writer, { dryRun: true, by }));
  const [applied, applyMs] = await timed(() => revertRunWrites(db, writer, { dryRun: false, by }));
  if (preview.reverted !== revertSize || applied.reverted !== revertSize) throw new Error("revert count mismatch");
  const [check] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from memory_history where reverts_run = ${writer}`),
  );
  if (check?.n !== revertSize) throw new Error("compensating writes missing");

  return {
    uncontended: { acquireMs: summary(acquire), releaseMs: summary(release) },
    contention: {
      contenders,
      rounds,
      acquireIncludingQueueMs: summary(cAcquire),
      requestCallMs: summary(cRequest),
      releaseMs: summary(cRelease),
      handoffMs: handoff.length > 0 ? summary(handoff) : null,
      grantsPerSecond: Math.round((contenders * rounds) / contentionSeconds),
    },
    deadlock: { backgroundWaiters: background, detectAndRefuseMs: summary(detect) },
    revert: { entities: revertSize, writeAllMs: round(writeMs), previewMs: round(previewMs), applyMs: round(applyMs) },
  };
}

async function main() {
  const machine = {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}`,
    node: process.version,
    load1m: os.loadavg()[0]?.toFixed(2),
  };
  const command = `npx tsx --conditions=react-server bench/memory/run.ts ${process.argv.slice(2).join(" ")}`.trim();
  let results;
  if (smoke) {
    const handle = await openPglite(undefined);
    try {
      await runMigrations(handle);
      results = { database: "pglite (smoke)", ...(await bench(handle)) };
    } finally {
      await handle.close();
    }
  } else {
    results = await withScratchDatabase(serverUrl, { prefix, poolSize: 20 }, async (handle) => ({
      database: "postgres",
      ...(await bench(handle)),
    }));
  }
  const report = { command, machine, at: new Date().toISOString(), ...results };
  console.log(JSON.stringify(report, null, 2));
  if (!smoke) writeFileSync(path.join(import.meta.dirname, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
