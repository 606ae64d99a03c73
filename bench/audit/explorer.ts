import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { listAuditEvents, type AuditListFilter } from "@/lib/audit";
import { summarize, type Summary } from "./stats";

export interface QueryCase {
  name: string;
  filter: Omit<AuditListFilter, "limit">;
}

export interface QueryResult {
  name: string;
  rows: number;
  firstMs: number;
  latencyMs: Summary;
  /**
   * Indexes and nodes of each statement's plan, e.g. "Limit > Index Scan Backward using audit_events_pkey"
   * (a page is read, then its seqs: " ; " between the two).
   */
  plan: string;
}

/**
 * Times listAuditEvents per case: `warmup` untimed calls (the first one's time is kept as
 * "first"), then `reps` timed calls, stopping early once a case has used `budgetMs`.
 * Its own drizzle instance logs the SQL, so the plan Postgres chose can be shown beside
 * the timing (EXPLAIN without ANALYZE, same parameters).
 */
export async function measureQueries(
  url: string,
  cases: QueryCase[],
  limit: number,
  reps: number,
  budgetMs: number,
): Promise<QueryResult[]> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  let statements: { query: string; params: unknown[] }[] = [];
  const db = drizzle({
    client,
    schema,
    logger: { logQuery: (query, params) => statements.push({ query, params }) },
  }) as unknown as Db;
  const results: QueryResult[] = [];
  try {
    for (const c of cases) {
      const timed = async () => {
        const t0 = performance.now();
        const page = await listAuditEvents(db, { ...c.filter, limit });
        return { ms: performance.now() - t0, rows: page.events.length };
      };
      const first = await timed();
      statements = [];
      await timed();
      const plans: string[] = [];
      for (const st of statements) plans.push(await explain(client, st.query, st.params));
      const plan = plans.join(" ; ");
      const times: number[] = [];
      const start = performance.now();
      while (times.length < reps && performance.now() - start < budgetMs) times.push((await timed()).ms);
      results.push({ name: c.name, rows: first.rows, firstMs: first.ms, latencyMs: summarize(times), plan });
    }
  } finally {
    await client.end({ timeout: 5 });
  }
  return results;
}

async function explain(client: postgres.Sql, query: string, params: unknown[]): Promise<string> {
  const rows = await client.unsafe<{ "QUERY PLAN": string }[]>(
    `explain ${query}`,
    params as postgres.ParameterOrJSON<never>[],
  );
  return rows
    .map((r) => r["QUERY PLAN"])
    .filter((line, i) => i === 0 || line.includes("->"))
    .map((line) =>
      line
        .replace(/^[\s>-]+/, "")
        .replace(/\s+\(cost=.*$/, "")
        .replace(/ on audit_events$/, ""),
    )
    .join(" > ");
}
