import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, runs, turns } from "@/db/schema";
import type { Principal } from "@/lib/auth";
import { loadJobRegistry } from "@/lib/jobs";
import { createRun } from "@/lib/runtime/create-run";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { runtimeTestJobs } from "./fixtures/jobs";

export const operator: Principal = { kind: "user", id: "u-op", label: "op@flightdeck.local", role: "operator" };
export const lead: Principal = { kind: "user", id: "u-lead", label: "lead@flightdeck.local", role: "lead" };

/** A fresh migrated database with the runtime test jobs registered and endpoints configured. */
export async function runtimeDatabase(endpoints = { default: 4, narrow: 1 }): Promise<TestDatabase> {
  const handle = await createTestDatabase();
  await loadJobRegistry(handle.db, runtimeTestJobs);
  await syncModelEndpoints(
    handle.db,
    Object.entries(endpoints).map(([name, maxConcurrency]) => ({
      name,
      provider: "test",
      model: "test",
      maxConcurrency,
    })),
  );
  return handle;
}

export async function newRun(db: Db, jobId: string, input: unknown = {}, actor: Principal = operator) {
  return db.transaction((tx) => createRun(tx, { jobId, input, trigger: { kind: "manual" }, actor }));
}

export async function getRun(db: Db, id: string) {
  const [row] = await db.select().from(runs).where(eq(runs.id, id));
  if (!row) throw new Error(`no run ${id}`);
  return row;
}

export async function turnsOf(db: Db, runId: string) {
  return db.select().from(turns).where(eq(turns.runId, runId)).orderBy(asc(turns.index), asc(turns.attempt));
}

export async function auditActionsFor(db: Db, runId: string): Promise<string[]> {
  const rows = await db
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, runId))
    .orderBy(asc(auditEvents.id));
  return rows.map((r) => r.action);
}

/** Polls until the predicate holds (real workers run asynchronously). */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await probe();
  }
  return last;
}

export async function waitForState(db: Db, id: string, states: string[], timeoutMs = 20_000) {
  return eventually(
    () => getRun(db, id),
    (r) => states.includes(r.state),
    timeoutMs,
  );
}
