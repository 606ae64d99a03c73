import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { applyRunControl, createRun, decideApproval, deliverSignal } from "@/lib/runtime";
import { SIGNALS, type ProofJobs } from "./pack";
import { PEOPLE } from "./people";
import { TERMINAL, until } from "./wait";

/**
 * Test 3's governed runs, one per way a run is authorized: started by an operator and approved
 * by a lead (approve-run oversight), started by a signal, and paused and resumed by an operator.
 */
export interface GovernedRuns {
  reviewed: string;
  intake: string;
  operated: string;
  approvalId: string;
  completed: boolean;
}

/** `tag` (live: the proof run's tag) keeps the signal's idempotency key from matching an earlier proof's. */
export async function runGoverned(
  db: Db,
  jobs: ProofJobs,
  progress: (line: string) => void,
  tag = "",
): Promise<GovernedRuns> {
  const manual = { kind: "manual" } as const;
  progress("audit: an approved run, a signalled run, a paused-and-resumed run");
  const reviewed = await db.transaction((tx) =>
    createRun(tx, { jobId: jobs.reviewed.id, input: { quarter: "Q4" }, trigger: manual, actor: PEOPLE.operator }),
  );
  const [approval] = rowsOf<{ id: string }>(
    await db.execute(sql`select id from approvals where run_id = ${reviewed.id} and status = 'pending'`),
  );
  if (!approval) throw new Error("the approve-run job created no approval");
  await decideApproval(db, approval.id, "approved", PEOPLE.lead, "Reviewed the quarter; go ahead.");

  const signal = await deliverSignal(db, {
    name: SIGNALS.intake,
    payload: { ticket: "T-1042" },
    idempotencyKey: `proof-intake-T-1042${tag ? `-${tag}` : ""}`,
    actor: PEOPLE.operator,
  });
  const intake = signal.runs[0];
  if (!intake) throw new Error("the signal started no run");

  const operated = await db.transaction((tx) =>
    createRun(tx, { jobId: jobs.operated.id, input: {}, trigger: manual, actor: PEOPLE.operator }),
  );
  // Resume only once it is paused: resuming a pause still pending at a turn boundary withdraws it instead.
  await applyRunControl(db, operated.id, "pause", PEOPLE.operator);
  await until(async () => (await stateOf(db, operated.id)) === "paused", 30_000, 100);
  await applyRunControl(db, operated.id, "resume", PEOPLE.operator);

  const ids = [reviewed.id, intake, operated.id];
  const completed = await until(async () => {
    for (const id of ids) if (!(TERMINAL as readonly string[]).includes((await stateOf(db, id)) ?? "")) return false;
    return true;
  }, 60_000);
  if (!completed) {
    const states = await Promise.all(ids.map(async (id) => `${id.slice(0, 8)} ${(await stateOf(db, id)) ?? "?"}`));
    progress(`audit: not every governed run finished: ${states.join(", ")}`);
  }
  return { reviewed: reviewed.id, intake, operated: operated.id, approvalId: approval.id, completed };
}

async function stateOf(db: Db, id: string): Promise<string | undefined> {
  const [row] = rowsOf<{ state: string }>(await db.execute(sql`select state from runs where id = ${id}`));
  return row?.state;
}
