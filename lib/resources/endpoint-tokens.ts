import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { schedulingConfig } from "@/lib/scheduling/config";

export const endpointResource = (endpoint: string) => `endpoint:${endpoint}`;

/**
 * Tokens per minute of a model endpoint (model_endpoints.tokens_per_minute), reserved at
 * claim: the key's estimated turn cost is taken from the endpoint's current window, in the
 * claim's transaction. An endpoint without a limit always grants (and records nothing).
 */
export async function reserveEndpointTokens(tx: Tx, endpoint: string, key: string): Promise<boolean> {
  const { minTurnCost } = schedulingConfig();
  const [row] = rowsOf<{ limited: number | string; granted: number | string }>(
    await tx.execute(sql`
      with e as (select tokens_per_minute as lim from model_endpoints where name = ${endpoint} and tokens_per_minute is not null),
      ins as (
        insert into resource_windows as w (resource, scope, window_start, used)
        select ${endpointResource(endpoint)}, '*', date_trunc('minute', now()),
          ceil(greatest(${minTurnCost}::float8, coalesce((select avg_cost from scheduling_keys where key = ${key}), 0)))::bigint
        from e
        on conflict (resource, scope, window_start) do update set used = w.used + excluded.used
          where w.used + excluded.used <= (select lim from e) or w.used = 0
        returning used
      )
      select (select count(*) from e) as limited, (select count(*) from ins) as granted`),
  );
  return Number(row?.limited ?? 0) === 0 || Number(row?.granted ?? 0) > 0;
}

/** At the checkpoint: replaces the reserved estimate by the turn's real token count. */
export async function settleEndpointTokens(tx: Tx, endpoint: string, estimate: number, tokens: number): Promise<void> {
  const delta = Math.round(tokens - Math.ceil(estimate));
  if (delta === 0) return;
  await tx.execute(sql`
    insert into resource_windows as w (resource, scope, window_start, used)
    select ${endpointResource(endpoint)}, '*', date_trunc('minute', now()), greatest(0, ${delta})
    from model_endpoints where name = ${endpoint} and tokens_per_minute is not null
    on conflict (resource, scope, window_start) do update set used = greatest(0, w.used + ${delta})`);
}
