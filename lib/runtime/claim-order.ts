import "server-only";
import { and, asc, desc, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { runs } from "@/db/schema";
import type { RunRow } from "./transitions";

/**
 * The claim policy, in one place: which runnable run gets the next turn. Runnable means
 * queued, or running without a live lease (between turns, or its worker died). Order:
 * priority (high first), then deadline (earliest first, none last), then age.
 *
 * The arbitration work (weighted fair queuing across groups, ageing) replaces this file;
 * the contract is: return one runnable run locked FOR UPDATE (SKIP LOCKED, never block on
 * another claimer), not on an excluded endpoint, not among skipIds.
 */
export async function selectClaimCandidate(
  tx: Tx,
  options: { excludeEndpoints: readonly string[]; skipIds: readonly string[] },
): Promise<RunRow | undefined> {
  const [row] = await tx
    .select()
    .from(runs)
    .where(
      and(
        inArray(runs.state, ["queued", "running"]),
        or(isNull(runs.leaseExpiresAt), lt(runs.leaseExpiresAt, sql`now()`)),
        options.excludeEndpoints.length > 0 ? notInArray(runs.modelEndpoint, [...options.excludeEndpoints]) : undefined,
        options.skipIds.length > 0 ? notInArray(runs.id, [...options.skipIds]) : undefined,
      ),
    )
    .orderBy(desc(runs.priority), sql`${runs.deadline} asc nulls last`, asc(runs.createdAt))
    .limit(1)
    // NO KEY UPDATE: a tool transaction of a stopped worker holds KEY SHARE on the run (its
    // foreign keys), and that must not hide the run from the worker that rescues it.
    .for("no key update", { skipLocked: true });
  return row;
}
