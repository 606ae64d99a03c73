import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, toolCalls } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { defineJob, registerJobDefinitions, syncRegistry, type JobDeclaration, type JobDefinition } from "@/lib/jobs";
import { createRun } from "@/lib/runtime/create-run";
import type { InvokeScope } from "@/lib/tools";
import { openWorkspace } from "@/lib/workspace";
import { jobDeclaration } from "../fixtures/jobs";

/** A valid job for the agent-turn tests (governance from the shared fixture); override what the test is about. */
export function testJob(overrides: Partial<JobDeclaration> & { id: string }): JobDefinition {
  const base = jobDeclaration();
  return defineJob(
    jobDeclaration({
      // Every category the agent-turn tests' tools touch (governance is checked at declaration and dispatch).
      governance: {
        ...base.governance,
        dataCategories: [
          "workspace",
          "run-state",
          "external-web",
          "operator-notification",
          "shared-memory",
          "customer-contact",
          "payment",
          "orders",
        ],
      },
      title: `Test job ${overrides.id}`,
      description: "A job used by the agent-turn tests.",
      agent: { model: "default", instructions: "You are a test agent.", tools: [], maxTurns: 8 },
      budgets: { tokens: 1_000_000, turns: 20, wallClockMs: 600_000 },
      ...overrides,
    }),
  );
}

export async function installJobs(db: Db, defs: JobDefinition[]): Promise<void> {
  registerJobDefinitions(defs);
  await syncRegistry(db, defs);
}

export async function newRun(db: Db, jobId: string, input: unknown = {}): Promise<string> {
  const run = await db.transaction((tx) =>
    createRun(tx, { jobId, input, trigger: { kind: "manual" }, actor: systemPrincipal("tests", "tests") }),
  );
  return run.id;
}

export async function scopeFor(
  db: Db,
  runId: string,
  def: JobDefinition,
  overrides: Partial<InvokeScope> = {},
): Promise<InvokeScope> {
  return {
    runId,
    jobId: def.id,
    jobVersion: "test",
    governance: { ...def.governance },
    allowedTools: def.agent.tools,
    httpAllowlist: def.agent.httpAllowlist ?? [],
    humanOversight: def.governance.humanOversight,
    model: "simulated/test",
    db,
    signal: new AbortController().signal,
    workspace: () => openWorkspace(runId, { db }),
    ...overrides,
  };
}

export async function auditFor(db: Db, runId: string, action?: string) {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      action ? and(eq(auditEvents.subjectId, runId), eq(auditEvents.action, action)) : eq(auditEvents.subjectId, runId),
    )
    .orderBy(auditEvents.id);
  return rows;
}

export async function toolCallRow(db: Db, key: string) {
  const [row] = await db.select().from(toolCalls).where(eq(toolCalls.key, key));
  return row;
}

/** Polls until the probe returns something truthy (workers run asynchronously). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
