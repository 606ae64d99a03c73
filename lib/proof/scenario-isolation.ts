import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { createRun, deliverSignal } from "@/lib/runtime";
import { invokeTool } from "@/lib/tools";
import { openWorkspace } from "@/lib/workspace";
import type { AttackTarget } from "./attacks";
import type { Canaries } from "./canaries";
import type { ProofJobs } from "./pack";
import { SIGNALS } from "./pack";
import { PEOPLE } from "./people";
import type { ProofRuntime } from "./runtime";
import type { ProofSizes } from "./sizes";
import { TERMINAL, until } from "./wait";

/**
 * Test 2's workload: a victim run writes a file, sets state and takes an exclusive lock on a
 * shared entity, then waits for a signal holding it; meanwhile several hostile runs play the
 * attack catalogue through the real gateway; one of them is then written as a zombie worker
 * would, with the lease token of a turn it no longer holds. isolation-measures.ts reads back
 * what the product did.
 */
export interface IsolationRecord {
  victimRunId: string;
  /** A unique string only the victim's file and state hold: seeing it elsewhere is a cross-run read. */
  marker: string;
  hostileRunIds: string[];
  /** The intake runs the release signal started. */
  releaseRunIds: string[];
  /** The zombie write: what the gateway threw, or the outcome it answered. */
  zombie: { runId: string; callKey: string; threw: string | null; answered: string | null };
  completed: boolean;
}

const manual = { kind: "manual" } as const;

async function runState(db: Db, id: string): Promise<{ state: string; reason: string | null } | undefined> {
  const [row] = rowsOf<{ state: string; state_reason: string | null }>(
    await db.execute(sql`select state, state_reason from runs where id = ${id}`),
  );
  return row ? { state: row.state, reason: row.state_reason } : undefined;
}

export async function runIsolation(
  db: Db,
  jobs: ProofJobs,
  sizes: ProofSizes,
  options: {
    canaries: Canaries;
    loopbackPort: number;
    setTarget: (target: AttackTarget) => void;
    runtime: ProofRuntime;
    progress: (line: string) => void;
  },
): Promise<IsolationRecord> {
  const marker = `victim-marker-${randomBytes(8).toString("hex")}`;
  const victim = await db.transaction((tx) =>
    createRun(tx, {
      jobId: jobs.victim.id,
      // The input canary sits under a secret-looking key: createRun stores it redacted.
      input: { marker, apiKey: options.canaries.inputSecret },
      trigger: manual,
      actor: PEOPLE.operator,
    }),
  );
  options.progress("isolation: victim run writing its file and state, taking its lock");
  const holding = await until(async () => {
    const s = await runState(db, victim.id);
    return s?.state === "waiting" && (s.reason?.startsWith("signal") ?? false);
  }, 60_000);
  if (!holding) {
    const calls = rowsOf<{ tool: string; status: string; error: string | null }>(
      await db.execute(
        sql`select tool, status, error from tool_calls where run_id = ${victim.id} order by turn_index, call_index`,
      ),
    );
    const [run] = rowsOf<{ state: string; state_reason: string | null; error: string | null }>(
      await db.execute(sql`select state, state_reason, error from runs where id = ${victim.id}`),
    );
    throw new Error(
      `the victim run never reached its signal wait (holding its lock): ${JSON.stringify({ run, calls })}`,
    );
  }

  options.setTarget({ victimRunId: victim.id, canaries: options.canaries, loopbackPort: options.loopbackPort });
  const hostileRunIds: string[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < sizes.hostileRuns; i++) {
      const run = await createRun(tx, {
        jobId: jobs.hostile.id,
        input: { n: i, apiKey: options.canaries.inputSecret },
        trigger: manual,
        actor: PEOPLE.operator,
      });
      hostileRunIds.push(run.id);
    }
  });
  options.progress(`isolation: ${sizes.hostileRuns} hostile runs playing the attack catalogue`);
  const completed = await until(async () => {
    for (const id of hostileRunIds) {
      const s = await runState(db, id);
      if (!s || !(TERMINAL as readonly string[]).includes(s.state)) return false;
    }
    return true;
  }, 120_000);

  const zombie = await zombieWrite(db, jobs, hostileRunIds[0] ?? "", options.runtime);
  // Let the victim go (it releases its lock when it finishes); the signal also starts an intake run.
  const release = await deliverSignal(db, {
    name: SIGNALS.intake,
    payload: { ticket: marker },
    idempotencyKey: `release-${marker}`,
    actor: PEOPLE.operator,
  });
  await until(async () => (await runState(db, victim.id))?.state === "succeeded", 60_000);
  return { victimRunId: victim.id, marker, hostileRunIds, releaseRunIds: release.runs, zombie, completed };
}

/**
 * A write by a worker that lost its lease: the gateway is called with the lease token the
 * hostile run's first turn held (since released by its checkpoint), as a paused-and-resumed
 * zombie worker would. The fence must refuse it and write nothing.
 */
async function zombieWrite(
  db: Db,
  jobs: ProofJobs,
  runId: string,
  runtime: ProofRuntime,
): Promise<IsolationRecord["zombie"]> {
  const stale = runtime.leaseTokens.get(runId)?.[0];
  const callKey = `${runId}:0:99`;
  if (!stale)
    return { runId, callKey, threw: null, answered: "no lease token was recorded for the hostile run's first turn" };
  const def = jobs.hostile;
  try {
    const record = await invokeTool(
      {
        runId,
        jobId: def.id,
        jobVersion: "zombie",
        governance: { ...def.governance },
        allowedTools: def.agent.tools,
        httpAllowlist: def.agent.httpAllowlist ?? [],
        humanOversight: def.governance.humanOversight,
        model: "zombie-worker",
        db,
        signal: new AbortController().signal,
        leaseToken: stale,
        workspace: () => openWorkspace(runId, { db }),
      },
      {
        toolCallId: "zombie",
        toolName: "write_file",
        input: { path: "zombie.txt", content: "written after the lease was lost" },
        turnIndex: 0,
        callIndex: 99,
      },
    );
    return { runId, callKey, threw: null, answered: `${record.outcome}${record.error ? `: ${record.error}` : ""}` };
  } catch (error) {
    return {
      runId,
      callKey,
      threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      answered: null,
    };
  }
}
