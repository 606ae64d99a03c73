/** Claim cost against the size of the runnable backlog, and the claim statement's plan. */
import { sql } from "drizzle-orm";
import { openPostgres, setDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { loadJobRegistry } from "@/lib/jobs";
import { claimCandidateSql, claimNextRun, syncModelEndpoints } from "@/lib/runtime";
import { fairJob } from "./fair-job";
import { pct } from "@/lib/proof";

export interface ClaimCost {
  runnable: number;
  /** Whole claim transaction (policy statement, endpoint check, lease, key charge, turn row, audit events). */
  p50: number;
  p95: number;
  /** The policy statement alone: EXPLAIN ANALYZE execution time. */
  statementP50: number;
  seqScanOnRuns: boolean;
  plan: string;
}

class Rollback extends Error {}

export async function claimCost(url: string, sizes: number[], keys: number): Promise<ClaimCost[]> {
  const handle = await openPostgres(url, 4);
  setDatabase(handle);
  await runMigrations(handle);
  await loadJobRegistry(handle.db, [fairJob]);
  await syncModelEndpoints(handle.db, [
    { name: "default", provider: "bench", model: "sleep", maxConcurrency: 1_000_000 },
  ]);
  const out: ClaimCost[] = [];
  try {
    let have = 0;
    for (const size of sizes) {
      // Grow the runnable set to `size` runs spread over `keys` keys (the runs trigger keeps the counters).
      await handle.db.execute(sql`
        insert into runs (id, job_id, job_version, state, governance, trigger_kind, actor_kind, actor_label, input,
          model_endpoint, budget_tokens, budget_turns, budget_wall_clock_ms, fair_group)
        select 'seed-' || g, 'bench-fair', (select current_version from jobs where id = 'bench-fair'), 'queued', '{}'::jsonb,
          'manual', 'system', 'bench', '{"i":0,"o":0}'::jsonb, 'default', 1000000, 100, 3600000, 'key-' || (g % ${keys}::int)
        from generate_series(${have + 1}::int, ${size}::int) g`);
      have = size;
      // Steady state: autovacuum has run since the burst (the seeding updated every key's row
      // size/keys times in one transaction, which a live system spreads over many).
      await handle.db.execute(sql`vacuum analyze runs`);
      await handle.db.execute(sql`vacuum analyze scheduling_keys`);
      await handle.db.execute(sql`vacuum analyze scheduling_lanes`);
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const t = performance.now();
        const claim = await claimNextRun(handle.db, { workerId: "claim-cost", leaseMs: 600_000 });
        times.push(performance.now() - t);
        if (!claim) throw new Error("nothing to claim");
      }
      const q = claimCandidateSql({ excludeEndpoints: [], skipIds: [], skipKeys: [] });
      const planRows = rowsOf<{ "QUERY PLAN": string }>(await handle.db.execute(sql`explain ${q}`));
      const plan = planRows.map((r) => r["QUERY PLAN"]).join("\n");
      // The statement alone, in a transaction rolled back so its row lock goes with it.
      const statement: number[] = [];
      for (let i = 0; i < 20; i++) {
        await handle.db
          .transaction(async (tx) => {
            const rows = rowsOf<{ "QUERY PLAN": string }>(await tx.execute(sql`explain analyze ${q}`));
            const line = rows.map((r) => r["QUERY PLAN"]).find((l) => l.startsWith("Execution Time"));
            statement.push(Number(/([\d.]+) ms/.exec(line ?? "")?.[1] ?? NaN));
            throw new Rollback();
          })
          .catch((error: unknown) => {
            if (!(error instanceof Rollback)) throw error;
          });
      }
      const cost = {
        runnable: size,
        p50: pct(times.slice(10), 50),
        p95: pct(times.slice(10), 95),
        statementP50: pct(statement.slice(5), 50),
        seqScanOnRuns: /Seq Scan on runs/.test(plan),
        plan,
      };
      console.log(
        `  claim @ ${size}: p50 ${cost.p50.toFixed(2)} ms p95 ${cost.p95.toFixed(2)} ms, statement p50 ${cost.statementP50.toFixed(2)} ms, seq scan on runs: ${cost.seqScanOnRuns}`,
      );
      out.push(cost);
    }
  } finally {
    await handle.close();
  }
  return out;
}
