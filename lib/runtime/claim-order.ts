import "server-only";
import { getTableColumns, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { sqlTextArray } from "@/db/text-array";
import { runs } from "@/db/schema";
import { schedulingConfig } from "@/lib/scheduling/config";
import type { RunRow } from "./transitions";

export interface ClaimCandidate {
  /** The run locked FOR NO KEY UPDATE, or undefined when another claimer holds the chosen one. */
  run: RunRow | undefined;
  /** The run the policy chose (skip it next time if it was locked). */
  candidateId: string | null;
  /** The key the policy chose in the top class (skip it if it yielded no run). */
  pickedKey: string | null;
}

/** What a claim's first pick also answers (flightdeck_claim_candidate with `first`). */
export interface ClaimRound {
  nowMs: number;
  /** Endpoints at their limit: excluded from the pick; the claim marks their runs' waits. */
  full: string[];
  /** Endpoints with a tokens-per-minute limit: a claim of theirs reserves its estimate first. */
  tokenLimited: string[];
}

/**
 * The claim policy, one round trip: flightdeck_claim_candidate (drizzle/0030_claim_candidate.sql, its
 * endpoint set since 0034) holds the statement and its rules (lib/scheduling/policy.ts). The first pick of a claim also
 * answers the clock and the endpoints at their limit, which it excludes. Nothing reads the
 * runnable set in bulk; the row is locked FOR NO KEY UPDATE SKIP LOCKED.
 */
export async function selectClaimCandidate(
  tx: Tx,
  options: ClaimQueryOptions & { first: true },
): Promise<ClaimCandidate & { round: ClaimRound }>;
export async function selectClaimCandidate(tx: Tx, options: ClaimQueryOptions): Promise<ClaimCandidate>;
export async function selectClaimCandidate(
  tx: Tx,
  options: ClaimQueryOptions,
): Promise<ClaimCandidate & { round?: ClaimRound }> {
  const rows = rowsOf<Record<string, unknown>>(await tx.execute(claimCandidateSql(options)));
  const row = rows[0];
  if (!row) throw new Error("flightdeck_claim_candidate returned no row");
  const candidateId = (row.__candidate as string | null) ?? null;
  const pickedKey = (row.__picked_key as string | null) ?? null;
  const run = row.id ? mapRunRow(row) : undefined;
  const round = options.first
    ? {
        nowMs: Number(row.__now_ms),
        full: textArray(row.__full),
        tokenLimited: textArray(row.__token_limited),
      }
    : undefined;
  return { run, candidateId, pickedKey, round };
}

export interface ClaimQueryOptions {
  /** The claim's first pick: also answer the clock and the full endpoints (ClaimRound). */
  first?: boolean;
  excludeEndpoints: readonly string[];
  /** Only runs of these endpoints (the worker's set, or the one of a slot handed over at a checkpoint: claim.ts); unset: any. */
  endpoints?: readonly string[] | null;
  skipIds: readonly string[];
  skipKeys: readonly string[];
}

/** The claim statement (bench/fairness reads the plan of the statement it runs). */
export function claimCandidateSql(options: ClaimQueryOptions) {
  const { ageingMs } = schedulingConfig();
  return sql`
    select s.now_ms as "__now_ms", s.full_endpoints as "__full", s.token_limited as "__token_limited",
      s.candidate as "__candidate", s.picked_key as "__picked_key", (s.run).*
    from flightdeck_claim_candidate(${options.first === true}, ${sqlTextArray(options.excludeEndpoints)},
      ${sqlTextArray(options.skipIds)}, ${sqlTextArray(options.skipKeys)},
      ${options.endpoints ? sqlTextArray(options.endpoints) : null}::text[],
      ${ageingMs}::int) s`;
}

/** A text[] column (node-postgres and PGlite both parse it into an array). */
function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  throw new Error(`flightdeck_claim_candidate: expected a text[] column, got ${typeof value}`);
}

const columns = Object.entries(getTableColumns(runs));

/** A raw runs row (snake_case, driver values) as drizzle would return it. */
export function mapRunRow(raw: Record<string, unknown>): RunRow {
  const out: Record<string, unknown> = {};
  for (const [field, column] of columns) {
    const value = raw[column.name];
    out[field] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as RunRow;
}
