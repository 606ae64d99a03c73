/**
 * The three systems under one interface for bench/fairness: Flightdeck (the real runtime:
 * claim, lease, checkpoint, fair-share policy), graphile-worker and pg-boss (FIFO queues,
 * optionally with their priority knob). Every "job" is one turn that sleeps turnMs.
 */
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { Logger, makeWorkerUtils, run as runGraphile } from "graphile-worker";
import { openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { systemPrincipal } from "@/lib/audit";
import { loadJobRegistry } from "@/lib/jobs";
import {
  createRun,
  silentLogger,
  startWorker,
  syncModelEndpoints,
  type TurnExecutor,
  type Worker,
} from "@/lib/runtime";
import { setKeyWeight } from "@/lib/scheduling";
import type { Served } from "@/lib/proof";
import { fairJob } from "./fair-job";

export interface Job {
  key: string;
  inputTokens: number;
  outputTokens: number;
  /** Peers' priority knob (B hand-prioritised); Flightdeck ignores it. */
  priority?: number;
}

export type { Served };

export interface System {
  name: string;
  /** Enqueue jobs now (one transaction / batch). */
  enqueue(jobs: Job[]): Promise<void>;
  /** Served so far. */
  served(): Promise<Served[]>;
  setWeights?(weights: Record<string, number>): Promise<void>;
  /** Drop everything queued and reset (between scenarios). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

const now = () => performance.timeOrigin + performance.now();

export async function flightdeckSystem(
  url: string,
  slots: number,
  turnMs: number,
  name = "flightdeck",
): Promise<System> {
  const handle: DatabaseHandle = await openPostgres(url, 12);
  setDatabase(handle);
  await runMigrations(handle);
  await loadJobRegistry(handle.db, [fairJob]);
  await syncModelEndpoints(handle.db, [{ name: "default", provider: "bench", model: "sleep", maxConcurrency: slots }]);
  const actor = systemPrincipal("bench", "bench");
  const executor: TurnExecutor = {
    async execute(ctx) {
      const input = ctx.input as { i?: number; o?: number };
      await sleep(turnMs, ctx.signal);
      return {
        model: "sleep",
        messagesIn: [],
        messagesOut: [],
        toolCalls: [],
        usage: { inputTokens: input.i ?? 0, outputTokens: input.o ?? 0 },
        outcome: { kind: "complete", output: null },
      };
    },
  };
  // Two in-process workers sharing the endpoint's slots (its limit is acquired in Postgres).
  let workers: Worker[] = [];
  const start = async () => {
    for (let i = 0; i < 2; i++) {
      const concurrency = Math.ceil(slots / 2);
      workers.push(
        await startWorker({
          handle,
          executor,
          workerId: `bench-${i}`,
          concurrency,
          pollIntervalMs: 500,
          leaseMs: 30_000,
          logger: silentLogger,
        }),
      );
    }
  };
  await start();
  return {
    name,
    async enqueue(jobs) {
      await handle.db.transaction(async (tx) => {
        for (const j of jobs) {
          await createRun(tx, {
            jobId: "bench-fair",
            input: { i: j.inputTokens, o: j.outputTokens },
            trigger: { kind: "manual" },
            actor,
            fairShareKey: j.key,
          });
        }
      });
    },
    async served() {
      const rows = rowsOf<{ key: string; c: number; s: number; f: number | null; tokens: number }>(
        await handle.db.execute(sql`
          select r.fair_group as key, extract(epoch from r.created_at) * 1000 as c, extract(epoch from t.started_at) * 1000 as s,
            extract(epoch from t.finished_at) * 1000 as f, t.input_tokens + t.output_tokens as tokens
          from turns t join runs r on r.id = t.run_id where t.status = 'completed'`),
      );
      return rows.map((r) => ({
        key: r.key,
        enqueuedAt: Number(r.c),
        startedAt: Number(r.s),
        finishedAt: Number(r.f),
        tokens: Number(r.tokens),
      }));
    },
    async setWeights(weights) {
      for (const [key, weight] of Object.entries(weights)) await setKeyWeight(handle.db, actor, key, weight);
    },
    async reset() {
      await Promise.all(workers.map((w) => w.stop()));
      workers = [];
      await handle.db.execute(sql`truncate runs, turns, scheduling_keys, scheduling_lanes, resource_windows cascade`);
      await start();
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await handle.close();
    },
  };
}

export async function graphileSystem(url: string, slots: number, turnMs: number): Promise<System> {
  const logger = new Logger(() => () => {});
  let served: Served[] = [];
  const taskList = {
    turn: async (payload: unknown) => {
      const p = payload as { key: string; t: number; tokens: number };
      const startedAt = now();
      await sleep(turnMs);
      served.push({ key: p.key, enqueuedAt: p.t, startedAt, finishedAt: now(), tokens: p.tokens });
    },
  };
  const options = {
    connectionString: url,
    concurrency: slots,
    noHandleSignals: true,
    pollInterval: 500,
    logger,
    taskList,
  };
  let runner = await runGraphile(options);
  const utils = await makeWorkerUtils({ connectionString: url, logger });
  return {
    name: "graphile-worker 0.16.6",
    async enqueue(jobs) {
      const t = now();
      const specs = jobs.map((j) => ({
        p: { key: j.key, t, tokens: j.inputTokens + j.outputTokens },
        // graphile-worker runs the LOWER priority number first.
        pr: j.priority === undefined ? 0 : -j.priority,
      }));
      await utils.withPgClient((client) =>
        client.query(
          "select graphile_worker.add_job('turn', x.p, priority => x.pr) from json_to_recordset($1::json) as x(p json, pr int)",
          [JSON.stringify(specs)],
        ),
      );
    },
    async served() {
      return served;
    },
    async reset() {
      await runner.stop();
      await utils.withPgClient((client) => client.query("delete from graphile_worker._private_jobs"));
      served = [];
      runner = await runGraphile(options);
    },
    async close() {
      await runner.stop();
      await utils.release();
    },
  };
}

export async function pgBossSystem(url: string, slots: number, turnMs: number): Promise<System> {
  const boss = new PgBoss({ connectionString: url, max: 10 });
  boss.on("error", (e) => console.error("pg-boss", e));
  await boss.start();
  // A fresh queue per scenario (pg-boss will not delete a queue that still holds jobs).
  let generation = 0;
  let queue = "turn0";
  await boss.createQueue(queue);
  let served: Served[] = [];
  const work = async () => {
    // pg-boss fetches per worker: `slots` workers of one job each = `slots` concurrent turns.
    for (let i = 0; i < slots; i++) {
      await boss.work<{ key: string; t: number; tokens: number }>(
        queue,
        { pollingIntervalSeconds: 0.5, batchSize: 1 },
        async ([job]) => {
          if (!job) return;
          const startedAt = now();
          await sleep(turnMs);
          served.push({
            key: job.data.key,
            enqueuedAt: job.data.t,
            startedAt,
            finishedAt: now(),
            tokens: job.data.tokens,
          });
        },
      );
    }
  };
  await work();
  return {
    name: "pg-boss 10.4.2",
    async enqueue(jobs) {
      const t = now();
      await boss.insert(
        jobs.map((j) => ({
          name: queue,
          data: { key: j.key, t, tokens: j.inputTokens + j.outputTokens },
          priority: j.priority ?? 0,
        })),
      );
    },
    async served() {
      return served;
    },
    async reset() {
      await boss.offWork(queue);
      queue = `turn${++generation}`;
      await boss.createQueue(queue);
      served = [];
      await work();
    },
    async close() {
      await boss.stop({ graceful: false, wait: true });
    },
  };
}
