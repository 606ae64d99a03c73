/** Claim cost against the size of the runnable backlog, and the claim statement's plan. */
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { openPostgres, setDatabase } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { loadJobRegistry } from "@/lib/jobs";
import { claimCandidateSql, claimNextRun, syncModelEndpoints } from "@/lib/runtime";
import { fairJob } from "./fair-job";
import { pct } from "@/lib/proof";

export interface ClaimCost {
  runnable: number;
  /** Whole claim transaction (policy statement, endpoint check, lease, key charge, turn row, audit events). */
  p50: number;
  p95: number;
  /** The policy statement alone, as flightdeck_claim_candidate runs it (auto_explain with analyze). */
  statementP50: number;
  seqScanOnRuns: boolean;
  plan: string;
}

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
      const { plan, statement } = await policyPlan(url, 20);
      // The generic plan must walk the key's runs in claim order and stop at the first: a plan that reads
      // (and sorts) the whole runnable set or a whole key's runs grows with the backlog.
      const seqScanOnRuns = /Seq Scan on runs\b/.test(plan);
      if (seqScanOnRuns || !/Index Scan using runs_key_claim_idx/.test(plan))
        throw new Error(`claim @ ${size}: the policy statement no longer walks runs_key_claim_idx in order:\n${plan}`);
      const cost = {
        runnable: size,
        p50: pct(times.slice(10), 50),
        p95: pct(times.slice(10), 95),
        statementP50: pct(statement.slice(5), 50),
        seqScanOnRuns,
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

/**
 * The plan the claim really runs: the policy statement lives in flightdeck_claim_candidate, whose
 * cached generic plan EXPLAIN on the call cannot show. auto_explain, loaded in one session, sends
 * each nested statement's plan (with actual times) back as a notice; each call is rolled back so
 * its row lock goes with it.
 */
async function policyPlan(url: string, calls: number): Promise<{ plan: string; statement: number[] }> {
  const client = new pg.Client({ connectionString: url });
  const notices: string[] = [];
  client.on("notice", (n) => notices.push(n.message ?? ""));
  await client.connect();
  try {
    await client.query(`load 'auto_explain'`);
    await client.query(`set auto_explain.log_min_duration = 0`);
    await client.query(`set auto_explain.log_nested_statements = on`);
    await client.query(`set auto_explain.log_analyze = on`);
    await client.query(`set auto_explain.log_level = notice`);
    const q = claimCandidateSql({ excludeEndpoints: [], skipIds: [], skipKeys: [] });
    const { sql: text, params } = new PgDialect().sqlToQuery(q);
    const statement: number[] = [];
    let plan = "";
    for (let i = 0; i < calls; i++) {
      notices.length = 0;
      await client.query("begin");
      await client.query(text, params);
      await client.query("rollback");
      const nested = notices.find((n) => n.includes("CTE cand"));
      if (!nested) throw new Error(`no plan of the policy statement among ${notices.length} notices`);
      statement.push(Number(/duration: ([\d.]+) ms/.exec(nested)?.[1] ?? NaN));
      plan = nested.slice(nested.indexOf("\n") + 1);
    }
    return { plan, statement };
  } finally {
    await client.end();
  }
}
