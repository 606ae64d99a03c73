import "server-only";
import { flagRecovery } from "@/lib/flashcards/hooks";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { turns } from "@/db/schema";
import type { AuditInput } from "@/lib/audit/types";
import { auditRowsJson, runAuthorization, workerActor } from "@/lib/audit";
import { reserveEndpointTokens } from "@/lib/resources/endpoint-tokens";
import { schedulingConfig } from "@/lib/scheduling/config";
import { mapRunRow, selectClaimCandidate, type ClaimCandidate } from "./claim-order";
import { wallClockExceeded } from "./db-time";
import { IllegalTransitionError } from "./errors";
import { canTransition } from "./transition-table";
import { flushAudit, transitionRun, type RunRow } from "./transitions";
import { markVersionWait } from "./version-pin";

export interface ClaimedTurn {
  run: RunRow;
  leaseToken: string;
  turnId: string;
  turnIndex: number;
  attempt: number;
  /** The previous lease expired with a turn in flight: this claim resumes from the checkpoint. */
  recovered: boolean;
  /** The cost charged to the run's fair-share key at claim; the checkpoint corrects it (flightdeck_checkpoint_tail). */
  estimatedCost: number;
  /** Turns this worker's slot has passed through without being released (claimHandedOverSlot). */
  handoffs: number;
  /** The endpoint had a tokens-per-minute limit at claim: the estimate was reserved and the checkpoint settles it. */
  tokenLimited: boolean;
}

/**
 * How many turns in a row a slot may pass through one worker before it is released to every
 * claimer: the slot never idles within a chain, and other workers (processes) still get
 * their share of a full endpoint.
 */
export const MAX_HANDOFFS = 8;

export interface ClaimOptions {
  workerId: string;
  leaseMs: number;
  /** Why this worker cannot run the candidate (its job version is not in this build), or null. */
  cannotRun?: (run: RunRow) => string | null;
  /**
   * Only runs of these model endpoints: the ones this worker can call (a deployment's workers pass
   * their configuration's), or the one of a slot handed over (claimHandedOverSlot). Unset: any.
   */
  endpoints?: readonly string[];
  /** Inside a checkpoint that holds rows of its own: wait for no row a claimer could hold, write only the claim (and wait marks). */
  handoff?: boolean;
}

/** Candidates looked at per claim transaction before giving up until the next wake-up. */
const MAX_CANDIDATES = 16;

/**
 * Claims one runnable run for one turn, in one transaction: picks a candidate (policy in
 * claim-order.ts), settles a request left at a boundary by a dead worker (and then claims nothing
 * in that transaction), enforces the model endpoint's max concurrency, takes the lease and records
 * the turn as running.
 */
export async function claimNextRun(db: Db, options: ClaimOptions): Promise<ClaimedTurn | null> {
  return db.transaction(async (tx) => {
    // A claim that takes a slot appends its events in takeLease's statement; what is left here was
    // recorded by a claim that settled a run or left it for another build.
    const sink: AuditInput[] = [];
    const claimed = await claimOne(tx, options, sink);
    await flushAudit(tx, sink);
    return claimed;
  });
}

/**
 * The slot a checkpoint just freed goes straight to the next turn, inside the checkpoint's
 * transaction: the same policy picks among the endpoint's runnable runs (the finished run
 * included), so the slot is never idle between two turns and a turn costs one commit, not
 * two. The caller holds the endpoint's advisory lock (flightdeck_checkpoint_tail took it).
 */
export async function claimHandedOverSlot(
  tx: Tx,
  previous: ClaimedTurn,
  options: ClaimOptions,
  sink: AuditInput[],
): Promise<ClaimedTurn | null> {
  const next = await claimOne(tx, { ...options, endpoints: [previous.run.modelEndpoint], handoff: true }, sink);
  return next && { ...next, handoffs: previous.handoffs + 1 };
}

/**
 * A checkpoint already holds its own key's rows when it hands its slot over, and another
 * checkpoint may hold the next run's key rows while it waits for rows this one holds: so the
 * handoff never waits for a row. It takes the next run's key and lane rows only if they are
 * free (SKIP LOCKED) and otherwise leaves the slot to the claimers.
 */
async function keyRowsFree(tx: Tx, run: RunRow): Promise<boolean> {
  const [row] = rowsOf<{ key: number | string; lane: number | string }>(
    await tx.execute(sql`
      select
        (select count(*) from (select 1 from scheduling_keys where key = ${run.fairGroup} for update skip locked) k) as key,
        (select count(*) from (select 1 from scheduling_lanes
          where key = ${run.fairGroup} and priority = ${run.priority} and model_endpoint = ${run.modelEndpoint}
          for update skip locked) l) as lane`),
  );
  return Number(row?.key ?? 0) > 0 && Number(row?.lane ?? 0) > 0;
}

const endpointLockKey = (endpoint: string) => `flightdeck.endpoint:${endpoint}`;

// The endpoint's lock. Claims serialise per endpoint on it before they take a slot (a claim may first
// mark waits or settle a run). A checkpoint that would hand its slot over tries it after its own
// writes, just before the handoff (flightdeck_checkpoint_tail), and only if it is free: a checkpoint
// never waits for it, so where it takes it cannot deadlock, checkpoints of one endpoint do not queue
// behind each other (one that finds it taken releases its slot the ordinary way), and claimers wait
// for it only through the handoff and the commit. The handoff waits for no row a claimer could hold
// (keyRowsFree; the endpoint's token window is reserved only under this lock), at most for another
// checkpoint's commit. The SQL functions spell the key 'flightdeck.endpoint:' || name as well.

async function claimOne(tx: Tx, options: ClaimOptions, sink: AuditInput[]): Promise<ClaimedTurn | null> {
  const only = options.endpoints;
  const skipIds: string[] = [];
  const skipKeys: string[] = [];
  // The first pick also answers the clock and the endpoints at their limit (which it left out).
  const first = await selectClaimCandidate(tx, {
    first: true,
    excludeEndpoints: [],
    skipIds,
    skipKeys,
    endpoints: only,
  });
  const { nowMs, full, tokenLimited } = first.round;
  // A handoff onto a full endpoint finds no candidate (the pick left the endpoint out) and marks nothing.
  if (!options.handoff) for (const endpoint of full) await markResourceWaits(tx, endpoint);
  const excluded = [...full];
  let pick: ClaimCandidate = first;
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    if (i > 0)
      pick = await selectClaimCandidate(tx, { excludeEndpoints: excluded, skipIds, skipKeys, endpoints: only });
    const candidate = pick.run;
    if (!candidate) {
      // Another claimer holds the chosen run: try the next one; a key with no claimable
      // run left (all locked): try the next key. Nothing chosen at all: nothing runnable.
      if (pick.candidateId) skipIds.push(pick.candidateId);
      else if (pick.pickedKey) skipKeys.push(pick.pickedKey);
      else return null;
      continue;
    }
    // A run to recover, settle or leave for another build is the claimers' (they write more; a handoff must not).
    const recovering = candidate.state === "running" && candidate.leaseToken !== null;
    if (options.handoff && (recovering || needsSettling(candidate, nowMs) || options.cannotRun?.(candidate)))
      return null;
    if (options.handoff && !(await keyRowsFree(tx, candidate))) return null;
    // Settling commits alone and takes no turn; its NOTIFY wakes the claimers for the next run. (It once had
    // to: its counters locked the key's rows before the endpoint's lock. They are kept at commit since 0032.)
    if (await settleAtBoundary(tx, candidate, nowMs, options.workerId, sink)) return null;
    // Version pinning (version-pin.ts): leave the run for a worker whose build has its version.
    const missing = options.cannotRun?.(candidate) ?? null;
    if (missing) {
      await markVersionWait(tx, candidate, missing);
      skipIds.push(candidate.id);
      continue;
    }
    // The room is checked inside takeLease's one statement, except where something must happen between
    // the check and the lease: an endpoint with a tokens-per-minute limit reserves the estimate, and a
    // recovery aborts the lost turn.
    const limited = tokenLimited.includes(candidate.modelEndpoint);
    const checkFirst = limited || recovering;
    const room =
      !checkFirst ||
      ((await endpointHasRoom(tx, candidate.modelEndpoint)) &&
        (!limited || (await reserveEndpointTokens(tx, candidate.modelEndpoint, candidate.fairGroup))));
    const claimed = room ? await takeLease(tx, candidate, options, sink, { checkedRoom: checkFirst, limited }) : null;
    if (claimed) return claimed;
    await markResourceWaits(tx, candidate.modelEndpoint);
    excluded.push(candidate.modelEndpoint);
  }
  return null;
}

/**
 * Serialises claims per endpoint across instances (transaction-scoped advisory lock),
 * then counts live leases; the count statement sees every claim committed before the
 * lock was granted. An endpoint without a configured row has no limit.
 */
async function endpointHasRoom(tx: Tx, endpoint: string): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${endpointLockKey(endpoint)}))`);
  const [row] = rowsOf<{ max: number | null; live: number | string }>(
    await tx.execute(sql`
      select (select max_concurrency from model_endpoints where name = ${endpoint}) as max,
             (select count(*) from runs
               where model_endpoint = ${endpoint} and lease_token is not null and lease_expires_at > now() and not slot_released)::int as live`),
  );
  if (!row || row.max === null) return true;
  return Number(row.live) < Number(row.max);
}

/**
 * Runs of a full endpoint stay in their runnable state (queued, or running between turns);
 * state_reason says what they wait for. Only rows whose reason differs are written, so a
 * steady full endpoint costs one index scan per claim. updated_at moves so the board's
 * change feed shows the wait.
 */
async function markResourceWaits(tx: Tx, endpoint: string): Promise<void> {
  const reason = `resource:${endpoint}`;
  await tx.execute(sql`
    update runs set state_reason = ${reason}, updated_at = now()
    where id in (
      select id from runs
      where model_endpoint = ${endpoint} and state in ('queued', 'running')
        and (lease_expires_at is null or lease_expires_at < now())
        and state_reason is distinct from ${reason}
      limit 100
      for update skip locked)`);
}

/** Turns left "running" by a worker whose lease expired: they will never checkpoint. */
export async function abortStaleTurns(tx: Tx, runId: string, why: string): Promise<void> {
  await tx
    .update(turns)
    .set({ status: "aborted", error: why, finishedAt: sql`clock_timestamp()` })
    .where(and(eq(turns.runId, runId), eq(turns.status, "running")));
}

/** A boundary request (pause, cancel) or the wall clock is due: the run is settled, not claimed. */
const needsSettling = (run: RunRow, nowMs: number) =>
  run.cancelRequested || run.pauseRequested || wallClockExceeded(run, nowMs);

/**
 * Boundary requests (pause, cancel) and the wall clock, for a run no worker holds: its
 * last worker died after the request, or it sat idle past its budget. Returns true when
 * the run was settled instead of claimed.
 */
async function settleAtBoundary(
  tx: Tx,
  run: RunRow,
  nowMs: number,
  workerId: string,
  sink: AuditInput[],
): Promise<boolean> {
  if (!needsSettling(run, nowMs)) return false;
  const common = { actor: workerActor(workerId), authorization: runAuthorization(run), auditSink: sink, locked: run };
  let to: "cancelled" | "paused" | "timed_out" | null = null;
  let reason = "";
  if (run.cancelRequested) [to, reason] = ["cancelled", "operator"];
  else if (run.pauseRequested) [to, reason] = ["paused", "operator"];
  else if (wallClockExceeded(run, nowMs)) [to, reason] = ["timed_out", "wall_clock"];
  if (!to) return false;
  await abortStaleTurns(tx, run.id, `run ${to} while its worker was gone`);
  await transitionRun(tx, run.id, to, { ...common, reason });
  return true;
}

/**
 * Takes the lease, charges the key's estimate, records the turn as running and appends the
 * transaction's audit events so far: one call of flightdeck_take_slot (drizzle/0028_take_slot.sql),
 * which also checks the endpoint's room under its lock unless the caller did (`checkedRoom`; a
 * recovery must, since it aborts the lost turn first). Answers null when the endpoint is full
 * (the sink keeps its events). The one state change not made by transitionRun (queued -> running):
 * the function writes what transitionRun would, and the run.running event is built here.
 */
async function takeLease(
  tx: Tx,
  candidate: RunRow,
  options: ClaimOptions,
  sink: AuditInput[],
  endpoint: { checkedRoom: boolean; limited: boolean },
): Promise<ClaimedTurn | null> {
  const recovered = candidate.state === "running" && candidate.leaseToken !== null;
  const attempt = recovered ? candidate.attempt + 1 : candidate.attempt;
  const from = candidate.state;
  if (from !== "running" && !canTransition(from, "running"))
    throw new IllegalTransitionError(candidate.id, from, "running");
  const leaseToken = randomUUID();
  const turnId = randomUUID();
  const actor = workerActor(options.workerId);
  const authorization = runAuthorization(candidate);
  const events: AuditInput[] = [];
  const subject = { type: "run", id: candidate.id };
  if (from === "queued")
    events.push({
      actor,
      action: "run.running",
      subject,
      authorization,
      payload: { jobId: candidate.jobId, from, to: "running", reason: null, workerId: options.workerId },
    });
  if (recovered) {
    // The room was checked first: nothing below can leave the slot untaken.
    await abortStaleTurns(tx, candidate.id, "lease expired: worker lost mid-turn");
    events.push({
      actor,
      action: "run.recovered",
      subject,
      authorization,
      payload: { jobId: candidate.jobId, previousOwner: candidate.leaseOwner, attempt },
    });
    await flagRecovery(
      tx,
      { id: candidate.id, jobId: candidate.jobId, attempt, previousOwner: candidate.leaseOwner },
      events,
    );
  }
  const [row] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      select s.estimate as "__estimate", (s.run).*
      from flightdeck_take_slot(${candidate.id}, ${from}, ${candidate.modelEndpoint}, ${!endpoint.checkedRoom},
        ${options.workerId}, ${leaseToken}, ${Math.round(options.leaseMs)}::int, ${attempt}::int, ${turnId},
        ${schedulingConfig().minTurnCost}::float8, ${auditRowsJson([...sink, ...events])}::jsonb) s`),
  );
  if (!row) return null;
  sink.length = 0;
  const run = mapRunRow(row);
  return {
    run,
    leaseToken,
    turnId,
    turnIndex: run.turnsUsed,
    attempt,
    recovered,
    estimatedCost: Number(row.__estimate),
    handoffs: 0,
    tokenLimited: endpoint.limited,
  };
}
