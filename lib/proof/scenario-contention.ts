import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { createRun } from "@/lib/runtime";
import { setSimulatedPace } from "@/lib/models";
import { setKeyWeight } from "@/lib/scheduling";
import type { ProofJobs } from "./pack";
import { PEOPLE } from "./people";
import type { ProofSizes } from "./sizes";
import { sleep, until } from "./wait";

/**
 * Test 1's workload through the real runtime: the tenants (fair-share keys), their weights
 * and arrival pattern. Returns the raw record the measures are computed from
 * (contention-measures.ts), read back from the turns the runtime wrote.
 */
export const TENANTS = {
  burst: "acme",
  weighted: "initech",
  trickle: "globex",
  greedy: "hooli",
  modest: "wayne",
  background: "umbrella",
} as const;

export const WEIGHTS: Record<string, number> = {
  [TENANTS.burst]: 1,
  [TENANTS.weighted]: 2,
  [TENANTS.trickle]: 1,
  [TENANTS.greedy]: 1,
  [TENANTS.modest]: 1,
  [TENANTS.background]: 1,
  [`${TENANTS.trickle}-alone`]: 1,
};

export interface TurnRow {
  runId: string;
  jobId: string;
  index: number;
  key: string;
  waitMs: number;
  startedAt: number;
  finishedAt: number;
  cost: number;
  phase: string;
}

export interface Arrival {
  runId: string;
  /** When the client asked for the run (ms, this process's clock). */
  requestedAt: number;
}

export interface ContentionRecord {
  turns: TurnRow[];
  /** The trickle's arrivals, alone and under contention. */
  arrivals: { alone: Arrival[]; contention: Arrival[] };
  deadlineRun: { id: string; deadline: number | null; finishedAt: number | null; state: string };
  backgroundRun: { id: string; state: string };
  greedyRunIds: string[];
  /** Whether the phase ended because everything measured finished (false: it hit the cap). */
  completed: boolean;
  /** Whether every run of the steady phase finished before its cap. */
  steadyCompleted: boolean;
  wallMs: { alone: number; contention: number; steady: number };
}

const manual = { kind: "manual" } as const;

async function enqueue(
  db: Db,
  jobId: string,
  key: string,
  count: number,
  input: (i: number) => Record<string, unknown>,
  priority?: number,
): Promise<string[]> {
  const ids: string[] = [];
  // 50 runs a transaction. A key that becomes active is lifted relative to the least virtual time of
  // the active keys as of its first insert; a long enqueue transaction would commit that lift late,
  // after the others had been served meanwhile, and hand the key that much head start.
  for (let from = 0; from < count; from += 50) {
    await db.transaction(async (tx) => {
      for (let i = from; i < Math.min(count, from + 50); i++) {
        const run = await createRun(tx, {
          jobId,
          input: input(i),
          trigger: manual,
          actor: PEOPLE.operator,
          fairShareKey: key,
          ...(priority === undefined ? {} : { priority }),
        });
        ids.push(run.id);
      }
    });
  }
  return ids;
}

/**
 * The steady phase's two keys, both backlogged with single-turn runs whose model calls take
 * steadyModelMs: where PERFORMANCE.md states the utilisation target (bench/fairness's 400 ms turns).
 */
export const STEADY_WEIGHTS: Record<string, number> = {
  [`${TENANTS.burst}-steady`]: 1,
  [`${TENANTS.weighted}-steady`]: 2,
};

/**
 * After the burst has drained: the same endpoint and worker, model calls of steadyModelMs, two
 * weighted keys with all their runs queued at once. Answers whether all finished before the cap, and its wall time.
 */
async function steadyPhase(
  db: Db,
  jobs: ProofJobs,
  sizes: ProofSizes,
  progress: (line: string) => void,
  k: (tenant: string) => string,
): Promise<{ completed: boolean; ms: number }> {
  const keys = Object.keys(STEADY_WEIGHTS);
  progress(
    `steady: ${sizes.steadyRunsPerKey} runs each of ${keys.join(" and ")}, model calls of ${sizes.steadyModelMs} ms`,
  );
  for (const [key, weight] of Object.entries(STEADY_WEIGHTS)) await setKeyWeight(db, PEOPLE.admin, k(key), weight);
  setSimulatedPace({ minMs: sizes.steadyModelMs, maxMs: sizes.steadyModelMs, failureRate: 0, random: () => 0 });
  const started = Date.now();
  try {
    const phase = "steady";
    for (const key of keys) await enqueue(db, jobs.chat.id, k(key), sizes.steadyRunsPerKey, (n) => ({ phase, n }));
    const capMs = 30_000 + (2 * sizes.steadyRunsPerKey * sizes.steadyModelMs) / sizes.slots;
    const completed = await until(async () => (await unfinished(db, keys.map(k))) === 0, capMs, 250);
    return { completed, ms: Date.now() - started };
  } finally {
    setSimulatedPace({ minMs: sizes.modelMs, maxMs: sizes.modelMs, failureRate: 0, random: () => 0 });
  }
}

/**
 * The trickle tenant's key alone has its own name: a key's virtual time keeps the service it
 * got, so the alone phase must not leave the contended key in debt (bench/fairness resets instead).
 */
export const ALONE_KEY = `${TENANTS.trickle}-alone`;

/**
 * The trickle: one run every trickleEveryMs. Each arrival is timed when the client asks, not
 * when the database starts the insert, so time spent waiting to be admitted at all (a busy
 * single-threaded PGlite, a long sealer batch) counts as waiting.
 */
async function trickle(db: Db, jobs: ProofJobs, sizes: ProofSizes, phase: string, key: string): Promise<Arrival[]> {
  const arrivals: Arrival[] = [];
  const t0 = Date.now();
  for (let i = 0; i < sizes.trickleRuns; i++) {
    const requestedAt = Date.now();
    const [runId] = await enqueue(db, jobs.chat.id, key, 1, () => ({ phase, n: i }));
    if (runId) arrivals.push({ runId, requestedAt });
    await sleep(Math.max(0, t0 + (i + 1) * sizes.trickleEveryMs - Date.now()));
  }
  return arrivals;
}

/** Runs of these keys not finished yet (each phase has its own keys; the claim index serves the key filter). */
async function unfinished(db: Db, keys: readonly string[]): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`select count(*) as n from runs
      where fair_group in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )}) and state not in ('succeeded', 'failed', 'cancelled', 'timed_out')`),
  );
  return Number(row?.n ?? 0);
}

/**
 * `keyPrefix` goes in front of every tenant's fair-share key in the database ("" on scratch
 * databases; live, one per proof run, so the proof never sets a deployment tenant's weight nor
 * inherits an earlier proof's virtual time). The record names tenants without it.
 */
export async function runContention(
  db: Db,
  jobs: ProofJobs,
  sizes: ProofSizes,
  progress: (line: string) => void,
  keyPrefix = "",
): Promise<ContentionRecord> {
  const k = (tenant: string) => `${keyPrefix}${tenant}`;
  for (const [key, weight] of Object.entries(WEIGHTS)) await setKeyWeight(db, PEOPLE.admin, k(key), weight);

  // The trickle tenant alone: its waits with nobody else on the endpoint.
  const aloneStarted = Date.now();
  progress(`alone: ${sizes.trickleRuns} runs of ${TENANTS.trickle}, one every ${sizes.trickleEveryMs} ms`);
  const aloneArrivals = await trickle(db, jobs, sizes, "alone", k(ALONE_KEY));
  await until(async () => (await unfinished(db, [k(ALONE_KEY)])) === 0, 60_000);
  const aloneMs = Date.now() - aloneStarted;

  // Contention: the burst first, then the others, then the trickle arrives while they drain.
  const started = Date.now();
  progress(
    `contention: burst of ${sizes.burstTurns} turns from ${TENANTS.burst}, ${sizes.weightedTurns} from ${TENANTS.weighted}`,
  );
  const phase = "contention";
  await enqueue(db, jobs.chat.id, k(TENANTS.burst), sizes.burstTurns, (n) => ({ phase, n }));
  await enqueue(db, jobs.chat.id, k(TENANTS.weighted), sizes.weightedTurns, (n) => ({ phase, n }));
  const [backgroundId] = await enqueue(db, jobs.background.id, k(TENANTS.background), 1, () => ({ phase }), -10);
  const greedy = await enqueue(db, jobs.tools.id, k(TENANTS.greedy), sizes.greedyRuns, (n) => ({ phase, n }));
  await enqueue(db, jobs.tools.id, k(TENANTS.modest), sizes.modestRuns, (n) => ({ phase, n }));
  const [deadlineId] = await enqueue(db, jobs.deadline.id, k(TENANTS.burst), 1, () => ({ phase }));
  const contentionArrivals = await trickle(db, jobs, sizes, phase, k(TENANTS.trickle));
  // The greedy tenant may still wait for its next quota window: that is the quota working, not part of the drain.
  const measured = [TENANTS.burst, TENANTS.weighted, TENANTS.trickle, TENANTS.modest, TENANTS.background];
  const capMs = 20_000 + sizes.burstTurns * 60;
  let last = 0;
  const completed = await until(
    async () => {
      const left = await unfinished(db, measured.map(k));
      if (Date.now() - last > 10_000) {
        last = Date.now();
        progress(`contention: ${left} runs left`);
      }
      return left === 0;
    },
    capMs,
    500,
  );
  const contentionMs = Date.now() - started;

  const steady = await steadyPhase(db, jobs, sizes, progress, k);

  const turns = rowsOf<{
    run_id: string;
    job_id: string;
    index: number;
    key: string;
    wait_ms: number | null;
    s: number | string;
    f: number | string | null;
    cost: number | null;
    phase: string;
  }>(
    await db.execute(sql`select t.run_id, r.job_id, t.index, substr(t.fair_key, ${keyPrefix.length + 1}) as key, t.wait_ms,
        t.cost, extract(epoch from t.started_at) * 1000 as s, extract(epoch from t.finished_at) * 1000 as f,
        r.input->>'phase' as phase
      from turns t join runs r on r.id = t.run_id
      where t.status = 'completed' and r.input->>'phase' in ('alone', 'contention', 'steady')
        and left(t.fair_key, ${keyPrefix.length}) = ${keyPrefix}`),
  );
  const runRow = async (id: string | undefined) => {
    const [row] = rowsOf<{ id: string; state: string; d: number | string | null; f: number | string | null }>(
      await db.execute(sql`select id, state, extract(epoch from deadline) * 1000 as d,
        extract(epoch from finished_at) * 1000 as f from runs where id = ${id ?? ""}`),
    );
    if (!row) throw new Error(`run ${id ?? "(none)"} was not created`);
    return row;
  };
  const deadline = await runRow(deadlineId);
  const background = await runRow(backgroundId);
  return {
    turns: turns.map((t) => ({
      runId: t.run_id,
      jobId: t.job_id,
      index: t.index,
      key: t.key,
      waitMs: Number(t.wait_ms ?? 0),
      startedAt: Number(t.s),
      finishedAt: Number(t.f ?? t.s),
      cost: Number(t.cost ?? 0),
      phase: t.phase,
    })),
    arrivals: { alone: aloneArrivals, contention: contentionArrivals },
    deadlineRun: {
      id: deadline.id,
      state: deadline.state,
      deadline: deadline.d === null ? null : Number(deadline.d),
      finishedAt: deadline.f === null ? null : Number(deadline.f),
    },
    backgroundRun: { id: background.id, state: background.state },
    greedyRunIds: greedy,
    completed,
    steadyCompleted: steady.completed,
    wallMs: { alone: aloneMs, contention: contentionMs, steady: steady.ms },
  };
}
