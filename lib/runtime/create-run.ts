import "server-only";
import { redact } from "@/lib/redaction";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { approvals, jobs, runs, type RunState, type TriggerKind } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { raiseApprovalCard } from "@/lib/flashcards/approval-cards";
import { getJobDefinition, runLabel } from "@/lib/jobs";
import { SpanKind, traceparentOf, tracer } from "@/lib/telemetry";
import { deriveFairShareKey } from "@/lib/scheduling/fair-share-key";
import { FAIR_SHARE_KEY_MAX, PRIORITY_MAX, PRIORITY_MIN } from "@/lib/scheduling/policy";
import { notifyRun } from "./channels";
import { announceRunTransition } from "./run-webhook";
import { nowPlusMs } from "./db-time";

export interface CreateRunParams {
  jobId: string;
  input: unknown;
  /** ref: signal name / cron tick ISO / idempotency key / retried run id. */
  trigger: { kind: TriggerKind; ref?: string };
  actor: Principal;
  retryOf?: string;
  /** Operator overrides (POST /api/runs): otherwise derived from the declaration. */
  fairShareKey?: string;
  priority?: number;
}

/**
 * Creates a run at the job's current registry version with its governance, budgets,
 * scheduling and endpoint snapshotted, so later declaration changes never alter it.
 * A manual run needs a job that declares `{ kind: "manual" }` (409 otherwise).
 * Input is validated against the job's input schema, except for signal runs (the
 * trigger validated the payload) and retries (the input was accepted before).
 * approve-run oversight: the run waits (reason approval) on a pending approval row.
 */
export async function createRun(tx: Tx, params: CreateRunParams): Promise<{ id: string; state: RunState }> {
  const [job] = await tx
    .select({ currentVersion: jobs.currentVersion, removedAt: jobs.removedAt })
    .from(jobs)
    .where(eq(jobs.id, params.jobId));
  const def = getJobDefinition(params.jobId);
  if (!job || job.removedAt !== null || !def) throw new AppError("not_found", `Job ${params.jobId} not found`);
  // Every way of starting a run by hand (API, cockpit, demo seed) comes through here.
  if (params.trigger.kind === "manual" && !def.triggers.some((t) => t.kind === "manual")) {
    throw new AppError("conflict", `Job "${def.id}" does not declare a manual trigger`);
  }

  let input = params.input;
  if (params.trigger.kind !== "signal" && params.trigger.kind !== "retry") {
    const parsed = def.input.safeParse(params.input ?? {});
    if (!parsed.success) throw AppError.validation(parsed.error, "run input");
    input = parsed.data;
  }

  const id = randomUUID();
  // Stored (and shown to every role) redacted: a token pasted into a ticket stays out of the run.
  const storedInput = redact(input ?? {});
  const needsApproval = def.governance.humanOversight === "approve-run";
  const approvalId = needsApproval ? randomUUID() : null;
  const state: RunState = needsApproval ? "waiting" : "queued";
  const actor = auditActor(params.actor);
  const authorization = auditAuthorization(params.actor);

  // The run's own span: every turn's span becomes its child (lib/telemetry), on any worker.
  const span = tracer().startSpan(`create_run ${def.id}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      "flightdeck.run.id": id,
      "flightdeck.job.id": def.id,
      "flightdeck.job.version": job.currentVersion,
      "flightdeck.trigger.kind": params.trigger.kind,
    },
  });
  const traceParent = traceparentOf(span);
  span.end();
  const [inserted] = await tx
    .insert(runs)
    .values({
      id,
      traceParent,
      jobId: def.id,
      jobVersion: job.currentVersion,
      state,
      stateReason: needsApproval ? "approval" : null,
      waitingFor: approvalId,
      governance: { ...def.governance },
      triggerKind: params.trigger.kind,
      triggerRef: params.trigger.ref ?? null,
      actorKind: actor.kind,
      actorId: actor.id,
      actorLabel: actor.label,
      input: storedInput,
      // From the input as stored: a title never shows what redaction kept out of the run.
      title: runLabel(def, "title", storedInput),
      modelEndpoint: def.agent.model,
      budgetTokens: def.budgets.tokens,
      budgetTurns: Math.min(def.budgets.turns, def.agent.maxTurns),
      budgetWallClockMs: def.budgets.wallClockMs,
      fairGroup: params.fairShareKey ?? deriveFairShareKey(def.scheduling.fairShareKey, input, def.scheduling.group),
      weight: def.scheduling.weight,
      priority: params.priority ?? def.scheduling.priority,
      deadline: def.scheduling.deadlineMs === undefined ? null : nowPlusMs(def.scheduling.deadlineMs),
      retryOf: params.retryOf ?? null,
    })
    .returning();
  if (!inserted) throw new Error("run insert returned no row");
  // A run that waits for a lead before its first turn needs attention from the start.
  if (needsApproval) await announceRunTransition(tx, inserted, "waiting", "approval", null);
  await appendAudit(tx, {
    actor,
    authorization,
    action: "run.created",
    subject: { type: "run", id },
    payload: {
      jobId: def.id,
      jobVersion: job.currentVersion,
      trigger: { kind: params.trigger.kind, ref: params.trigger.ref ?? null },
      state,
      ...(params.retryOf ? { retryOf: params.retryOf } : {}),
    },
  });

  if (approvalId) {
    await tx.insert(approvals).values({
      id: approvalId,
      runId: id,
      kind: "run",
      subject: `run ${def.id}`,
      details: {
        jobId: def.id,
        jobTitle: def.title,
        jobVersion: job.currentVersion,
        purpose: def.governance.purpose,
        riskLevel: def.governance.riskLevel,
        trigger: params.trigger.kind,
        requestedBy: actor.label,
      },
    });
    await appendAudit(tx, {
      actor,
      authorization,
      action: "approval.requested",
      subject: { type: "approval", id: approvalId },
      payload: { runId: id, jobId: def.id, kind: "run" },
    });
    // The lead's queue: one flashcard per approval, in the approval's transaction.
    await raiseApprovalCard(tx, {
      approvalId,
      runId: id,
      jobId: def.id,
      kind: "run",
      governance: { ...def.governance },
      details: {
        jobTitle: def.title,
        purpose: def.governance.purpose,
        trigger: params.trigger.kind,
        requestedBy: actor.label,
        input: input ?? {},
      },
    });
  }
  await notifyRun(tx, id);
  return { id, state };
}

/** Body of POST /api/runs and input of the startRun action. */
export const manualRunInput = z.strictObject({
  jobId: z.string().min(1).max(64),
  input: z.unknown().optional(),
  /** Overrides the key derived from the input (lib/scheduling). */
  fairShareKey: z.string().trim().min(1).max(FAIR_SHARE_KEY_MAX).optional(),
  /** Priority class, PRIORITY_MIN..PRIORITY_MAX (higher first); default: the job's. */
  priority: z.number().int().min(PRIORITY_MIN).max(PRIORITY_MAX).optional(),
});

/** A run an operator starts by hand (trigger kind "manual"; the job must declare that trigger). */
export async function createManualRun(
  db: Db,
  principal: Principal,
  body: z.infer<typeof manualRunInput>,
): Promise<{ id: string; state: RunState }> {
  return db.transaction((tx) =>
    createRun(tx, {
      jobId: body.jobId,
      input: body.input ?? {},
      trigger: { kind: "manual" },
      actor: principal,
      fairShareKey: body.fairShareKey,
      priority: body.priority,
    }),
  );
}
